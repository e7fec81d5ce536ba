/**
 * A latency (or any non-negative value) distribution backed by an HdrHistogram, so that repeats
 * and replicas merge exactly (histogram addition) instead of averaging percentiles.
 *
 * HdrHistograms hold integers; values are recorded scaled by HISTOGRAM_SCALE (1000: a ms
 * distribution keeps µs resolution). Summaries are reported back in the metric's unit.
 */
import * as hdr from "hdr-histogram-js";
import type { DistributionMetric } from "./types.ts";

export const HISTOGRAM_SCALE = 1000;

function newHistogram(): hdr.Histogram {
  return hdr.build({
    bitBucketSize: 32,
    useWebAssembly: false,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

export class Distribution {
  readonly unit: string;
  private readonly histogram: hdr.Histogram;

  constructor(unit: string, histogram: hdr.Histogram = newHistogram()) {
    this.unit = unit;
    this.histogram = histogram;
  }

  static decode(metric: Pick<DistributionMetric, "unit" | "histogram">): Distribution {
    return new Distribution(metric.unit, hdr.decodeFromCompressedBase64(metric.histogram, 32, false));
  }

  static merge(parts: readonly Distribution[], unit?: string): Distribution {
    const merged = new Distribution(unit ?? parts[0]?.unit ?? "ms");
    for (const part of parts) merged.histogram.add(part.histogram);
    return merged;
  }

  record(value: number): void {
    if (!Number.isFinite(value)) return;
    this.histogram.recordValue(Math.max(0, Math.round(value * HISTOGRAM_SCALE)));
  }

  /** `count` observations of the same value (e.g. a Prometheus bucket). */
  recordMany(value: number, count: number): void {
    if (!Number.isFinite(value) || count <= 0) return;
    this.histogram.recordValueWithCount(Math.max(0, Math.round(value * HISTOGRAM_SCALE)), count);
  }

  add(other: Distribution): void {
    this.histogram.add(other.histogram);
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  percentile(p: number): number {
    if (this.count === 0) return 0;
    return this.histogram.getValueAtPercentile(p) / HISTOGRAM_SCALE;
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.histogram.mean / HISTOGRAM_SCALE;
  }

  get min(): number {
    return this.count === 0
      ? 0
      : this.histogram.minNonZeroValue === Number.MAX_SAFE_INTEGER
        ? 0
        : this.trueMin();
  }

  get max(): number {
    return this.count === 0 ? 0 : this.histogram.maxValue / HISTOGRAM_SCALE;
  }

  /**
   * How many observations lie at or below each bound (in the metric's unit): cumulative counts, as
   * a Prometheus histogram's `le` buckets hold them. Counted from the recorded histogram, not from
   * percentiles, so exact but for HdrHistogram's own resolution: values are kept in bins of 3
   * significant digits (at most 0.1% wide, 1 µs for a ms distribution below 2 ms), and a bin that
   * holds a bound counts wholly at or below it — a value less than one bin above a bound is
   * counted under that bound.
   */
  countsAtOrBelow(bounds: readonly number[]): number[] {
    const scaled = bounds.map((b) => b * HISTOGRAM_SCALE);
    const counts = scaled.map(() => 0);
    const h = this.histogram;
    if (!(h instanceof hdr.JsHistogram))
      throw new Error("countsAtOrBelow: a JavaScript HdrHistogram is needed");
    const bins = h.recordedValuesIterator;
    bins.reset();
    while (bins.hasNext()) {
      const bin = bins.next();
      const lowest = h.lowestEquivalentValue(bin.valueIteratedTo);
      const first = scaled.findIndex((b) => lowest <= b);
      if (first !== -1) counts[first]! += bin.countAtValueIteratedTo;
    }
    for (let i = 1; i < counts.length; i++) counts[i]! += counts[i - 1]!;
    return counts;
  }

  private trueMin(): number {
    // minNonZeroValue ignores recorded zeros; p(0) sees them.
    return this.histogram.getValueAtPercentile(0) / HISTOGRAM_SCALE;
  }

  toMetric(): DistributionMetric {
    return {
      type: "distribution",
      unit: this.unit,
      count: this.count,
      min: round(this.min),
      mean: round(this.mean),
      p50: round(this.percentile(50)),
      p90: round(this.percentile(90)),
      p95: round(this.percentile(95)),
      p99: round(this.percentile(99)),
      max: round(this.max),
      histogram: hdr.encodeIntoCompressedBase64(this.histogram),
    };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

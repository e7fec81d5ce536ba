/**
 * HdrHistogram helpers for stored distributions: decode, merge (exact, by histogram addition —
 * averaging percentiles would be wrong), and walk the recorded buckets so reports and compare
 * can use the raw sample distribution rather than the five stored percentiles.
 * Always the pure-JS implementation: no WASM memory to free, no async init.
 */
import * as hdr from "hdr-histogram-js";
import { HarnessError } from "../errors.ts";
import { type DistributionMetric, HISTOGRAM_SCALE } from "./schema.ts";

/** The JS implementation's counts array, walked directly (its RecordedValuesIterator is ~50× slower). */
type JsHistogramCounts = hdr.Histogram & {
  countsArrayLength: number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  medianEquivalentValue(value: number): number;
};

export function newHistogram(): hdr.Histogram {
  return hdr.build({
    bitBucketSize: 32,
    useWebAssembly: false,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

export function decodeHistogram(encoded: string, context = "histogram"): hdr.Histogram {
  try {
    return hdr.decodeFromCompressedBase64(encoded, 32, false);
  } catch (err) {
    throw new HarnessError(`${context}: cannot decode the HdrHistogram (${(err as Error).message})`, {
      fix: "the histogram must be hdr-histogram-js compressed base64 (encodeIntoCompressedBase64)",
      cause: err,
    });
  }
}

export function encodeHistogram(histogram: hdr.Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Records values given in the metric's unit (scaled to integers, see HISTOGRAM_SCALE). */
export function recordValues(histogram: hdr.Histogram, values: Iterable<number>): void {
  for (const v of values) {
    if (Number.isFinite(v)) histogram.recordValue(Math.max(0, Math.round(v * HISTOGRAM_SCALE)));
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The stored summary of a histogram, in the metric's unit. */
export function summarizeHistogram(histogram: hdr.Histogram, unit: string): DistributionMetric {
  const empty = histogram.totalCount === 0;
  const max = empty ? 0 : histogram.maxValue / HISTOGRAM_SCALE;
  // getValueAtPercentile reports a bucket's highest equivalent value, which can exceed the
  // exact recorded max; a p99 above the max would look like a bug to readers.
  const at = (p: number): number =>
    empty ? 0 : round(Math.min(histogram.getValueAtPercentile(p) / HISTOGRAM_SCALE, max));
  return {
    type: "distribution",
    unit,
    count: histogram.totalCount,
    min: at(0),
    mean: empty ? 0 : round(histogram.mean / HISTOGRAM_SCALE),
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    max: round(max),
    histogram: encodeHistogram(histogram),
  };
}

export function distributionFromValues(values: Iterable<number>, unit: string): DistributionMetric {
  const h = newHistogram();
  recordValues(h, values);
  return summarizeHistogram(h, unit);
}

/** Merges distributions of the same metric from several repeats or replicas. */
export function mergeDistributions(
  parts: readonly DistributionMetric[],
  context = "distribution",
): DistributionMetric {
  const first = parts[0];
  if (!first) throw new HarnessError(`${context}: nothing to merge`);
  const units = new Set(parts.map((p) => p.unit));
  if (units.size > 1) {
    throw new HarnessError(
      `${context}: cannot merge distributions with different units (${[...units].join(", ")})`,
    );
  }
  const merged = newHistogram();
  for (const part of parts) merged.add(decodeHistogram(part.histogram, context));
  return summarizeHistogram(merged, first.unit);
}

export interface Bucket {
  /** Representative value of the bucket, in the metric's unit. */
  value: number;
  count: number;
}

/** The recorded buckets in ascending value order (the raw samples, at histogram precision). */
export function histogramBuckets(metric: Pick<DistributionMetric, "histogram">, context?: string): Bucket[] {
  return recordedBuckets(decodeHistogram(metric.histogram, context));
}

/**
 * The buckets of a histogram in memory (a running run's): each index with a count, at its
 * median equivalent value — what the library's RecordedValuesIterator yields, in a plain loop
 * cheap enough to repeat while a run is measured.
 */
export function recordedBuckets(histogram: hdr.Histogram): Bucket[] {
  const h = histogram as JsHistogramCounts;
  const out: Bucket[] = [];
  for (let i = 0; i < h.countsArrayLength; i++) {
    const count = h.getCountAtIndex(i);
    if (count > 0) out.push({ value: h.medianEquivalentValue(h.valueFromIndex(i)) / HISTOGRAM_SCALE, count });
  }
  return out;
}

/** Value at a percentile (0..100) straight from the histogram, in the metric's unit. */
export function valueAtPercentile(metric: Pick<DistributionMetric, "histogram">, percentile: number): number {
  const h = decodeHistogram(metric.histogram);
  return h.totalCount === 0 ? 0 : h.getValueAtPercentile(percentile) / HISTOGRAM_SCALE;
}

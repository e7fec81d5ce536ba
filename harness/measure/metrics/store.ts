/**
 * The metrics of one run: measurements record into it by public metric name; at the end it
 * produces the results.json `metrics` map. Series are stamped with seconds since the run start.
 */
import { quantileSeriesName, SERIES_QUANTILES } from "../../results/metric-catalog.ts";
import { Distribution } from "./distribution.ts";
import type { MetricMap } from "./types.ts";

/** One value as it enters the store, for sinks that stream a run's samples (harness/outputs). */
export interface StoreSample {
  type: "distribution" | "series" | "counter" | "gauge";
  name: string;
  unit: string;
  /** Seconds since the run started. */
  t: number;
  /** The observation, the series point, the counter's new total or the gauge's value. */
  value: number;
}

/** A distribution's figures so far, without encoding its histogram. */
export interface DistributionReading {
  name: string;
  unit: string;
  count: number;
  sum: number;
  max: number;
  quantiles: Array<[quantile: number, value: number]>;
  /** Observations at or below each bound asked for (cumulative); absent where none were asked for. */
  atOrBelow?: { bounds: readonly number[]; counts: number[] };
}

export class MetricStore {
  private readonly distributions = new Map<string, Distribution>();
  private readonly series = new Map<string, { unit: string; points: Array<[number, number]> }>();
  private readonly counters = new Map<string, { unit: string; value: number }>();
  private readonly gauges = new Map<string, { unit: string; value: number }>();
  private readonly windows = new Map<string, Distribution>();
  private readonly startedAt: number;
  private readonly listeners = new Set<(s: StoreSample) => void>();

  /** `startedAt` is a performance.now() timestamp; series times are relative to it. */
  constructor(startedAt: number = performance.now()) {
    this.startedAt = startedAt;
  }

  /** Seconds since the run started, for series points and event times. */
  elapsedSeconds(at: number = performance.now()): number {
    return Math.round(at - this.startedAt) / 1000;
  }

  distribution(name: string, unit = "ms"): Distribution {
    let d = this.distributions.get(name);
    if (!d) {
      d = new Distribution(unit);
      this.distributions.set(name, d);
    }
    return d;
  }

  record(name: string, value: number, unit = "ms"): void {
    this.distribution(name, unit).record(value);
    let w = this.windows.get(name);
    if (!w) {
      w = new Distribution(unit);
      this.windows.set(name, w);
    }
    w.record(value);
    if (this.listeners.size > 0) this.emit("distribution", name, unit, value);
  }

  /** Every value recorded from now on, as it is recorded; returns the unsubscribe. */
  subscribe(listener: (s: StoreSample) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(type: StoreSample["type"], name: string, unit: string, value: number, at?: number): void {
    const sample = { type, name, unit, t: this.elapsedSeconds(at), value };
    for (const l of this.listeners) l(sample);
  }

  /**
   * Each distribution's count, sum, max and the given quantiles (0–1) so far, and, where
   * `boundsFor` gives bounds for its unit, how many observations lie at or below each.
   */
  readDistributions(
    quantiles: readonly number[],
    boundsFor?: (unit: string) => readonly number[] | undefined,
  ): DistributionReading[] {
    return [...this.distributions].map(([name, d]) => {
      const bounds = boundsFor?.(d.unit);
      return {
        name,
        unit: d.unit,
        count: d.count,
        sum: round3(d.mean * d.count),
        max: round3(d.max),
        quantiles: quantiles.map((q) => [q, round3(d.percentile(q * 100))] as [number, number]),
        ...(bounds ? { atOrBelow: { bounds, counts: d.countsAtOrBelow(bounds) } } : {}),
      };
    });
  }

  /**
   * Closes the current window of every latency: its p50/p90/p99 become points of the
   * `name{quantile="…"}` series (the percentiles-over-time chart), then the window restarts.
   */
  flushWindows(at: number = performance.now()): void {
    for (const [name, w] of this.windows) {
      if (w.count === 0) continue;
      for (const q of SERIES_QUANTILES)
        this.point(quantileSeriesName(name, q), round3(w.percentile(q * 100)), w.unit, at);
    }
    this.windows.clear();
  }

  point(name: string, value: number, unit: string, at: number = performance.now()): void {
    let s = this.series.get(name);
    if (!s) {
      s = { unit, points: [] };
      this.series.set(name, s);
    }
    s.points.push([this.elapsedSeconds(at), value]);
    if (this.listeners.size > 0) this.emit("series", name, unit, value, at);
  }

  /** Points recorded so far for a series (read-only view; used by checkpoints and progress). */
  seriesPoints(name: string): ReadonlyArray<[number, number]> {
    return this.series.get(name)?.points ?? [];
  }

  count(name: string, by = 1, unit = "count"): void {
    const c = this.counters.get(name);
    if (c) c.value += by;
    else this.counters.set(name, { unit, value: by });
    if (this.listeners.size > 0) this.emit("counter", name, unit, this.counterValue(name));
  }

  counterValue(name: string): number {
    return this.counters.get(name)?.value ?? 0;
  }

  gauge(name: string, value: number, unit: string): void {
    this.gauges.set(name, { unit, value });
    if (this.listeners.size > 0) this.emit("gauge", name, unit, value);
  }

  gaugeValue(name: string): number | undefined {
    return this.gauges.get(name)?.value;
  }

  hasDistribution(name: string): boolean {
    return this.distributions.has(name);
  }

  toMetrics(): MetricMap {
    const out: MetricMap = {};
    for (const [name, d] of this.distributions) out[name] = d.toMetric();
    for (const [name, s] of this.series) out[name] = { type: "series", unit: s.unit, points: s.points };
    for (const [name, c] of this.counters) out[name] = { type: "counter", unit: c.unit, value: c.value };
    for (const [name, g] of this.gauges) out[name] = { type: "gauge", unit: g.unit, value: g.value };
    return out;
  }
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

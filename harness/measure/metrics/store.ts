/**
 * The metrics of one run: measurements record into it by public metric name; at the end it
 * produces the results.json `metrics` map. Series are stamped with seconds since the run start.
 */
import { quantileSeriesName, SERIES_QUANTILES } from "../../results/metric-catalog.ts";
import { Distribution } from "./distribution.ts";
import type { MetricMap } from "./types.ts";

export class MetricStore {
  private readonly distributions = new Map<string, Distribution>();
  private readonly series = new Map<string, { unit: string; points: Array<[number, number]> }>();
  private readonly counters = new Map<string, { unit: string; value: number }>();
  private readonly gauges = new Map<string, { unit: string; value: number }>();
  private readonly windows = new Map<string, Distribution>();
  private readonly startedAt: number;

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
  }

  /** Points recorded so far for a series (read-only view; used by checkpoints and progress). */
  seriesPoints(name: string): ReadonlyArray<[number, number]> {
    return this.series.get(name)?.points ?? [];
  }

  count(name: string, by = 1, unit = "count"): void {
    const c = this.counters.get(name);
    if (c) c.value += by;
    else this.counters.set(name, { unit, value: by });
  }

  counterValue(name: string): number {
    return this.counters.get(name)?.value ?? 0;
  }

  gauge(name: string, value: number, unit: string): void {
    this.gauges.set(name, { unit, value });
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

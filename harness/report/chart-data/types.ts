import type { Bucket } from "../../results/histogram.ts";
import type { Results } from "../../results/schema.ts";

/** What the charts drawn from time series read: a run's metrics and how long it ran (so far, for a live view). */
export type SeriesSource = Pick<Results, "metrics"> & { run: Pick<Results["run"], "durationSeconds"> };

/** A latency distribution as the CDF reads it; `buckets` is called only for the ones drawn. */
export interface LatencyHistogram {
  name: string;
  unit: string;
  count: number;
  buckets(): Bucket[];
}

/**
 * What a run has recorded so far, while it runs (the live view of `run --dashboard`): its series,
 * counters and gauges, its latency histograms, its event log, the phases begun and the checkpoints
 * taken.
 */
export interface RunSoFar {
  metrics: Results["metrics"];
  run: Pick<Results["run"], "durationSeconds" | "startedAt">;
  events: Results["events"];
  /** A phase still going ends now (`run.durationSeconds`). */
  phases: Results["phases"];
  latencies: readonly LatencyHistogram[];
  /** The cost-curve checkpoints taken so far. */
  checkpoints: Results["checkpoints"];
}

/** What a chart's data builder returns: rows for the spec's `rows` dataset, or why it cannot be drawn. */
export type ChartRow = Record<string, string | number | null>;
export type ChartData = { rows: ChartRow[] } | { missing: string };

export function missing(reason: string): ChartData {
  return { missing: reason };
}

/** Long runs (soak) record thousands of points; a chart line needs at most this many. */
export const MAX_LINE_POINTS = 1000;

/** Every k-th point (always keeping the last), so that at most MAX_LINE_POINTS remain. */
export function thin<T>(points: readonly T[], max = MAX_LINE_POINTS): T[] {
  if (points.length <= max) return [...points];
  const every = Math.ceil(points.length / max);
  return points.filter((_, i) => i % every === 0 || i === points.length - 1);
}

/**
 * The resolution of a figure read from a Prometheus histogram: every value sits on a bucket's
 * upper bound, so the true percentile lies anywhere inside that bucket. A difference of at most
 * one bucket's width is below what the figure can show, however constant each side is.
 */
import { histogramBuckets } from "../../results/histogram.ts";
import type { Metric } from "../../results/schema.ts";

/**
 * The bucket bounds seen in these metrics' histograms, ascending. Empty buckets are not stored,
 * so the width derived from them can only be too large — the conservative side.
 */
export function observedBounds(metrics: readonly (Metric | undefined)[]): number[] {
  const bounds = new Set<number>();
  for (const m of metrics) {
    if (m?.type !== "distribution" || m.count === 0) continue;
    for (const b of histogramBuckets(m)) bounds.add(b.value);
  }
  return [...bounds].sort((a, b) => a - b);
}

/** Width of the bucket holding `value`: from the bound below it (or 0) to the bound at or above it. */
export function bucketWidthAt(bounds: readonly number[], value: number): number {
  // HdrHistogram keeps 3 significant digits: a bound read back may differ by that much.
  const slack = (v: number) => Math.abs(v) * 1e-3;
  let below = 0;
  for (const bound of bounds) {
    if (bound >= value - slack(value)) return bound - below;
    below = bound;
  }
  return value - below;
}

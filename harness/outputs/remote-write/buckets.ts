/**
 * The classic Prometheus histogram each distribution is sent as beside its summary: cumulative
 * `<name>_bucket{le="…"}` series up to `le="+Inf"` (= `_count`), so `histogram_quantile()` and
 * sums across runs and repeats work in PromQL.
 *
 * The bounds are fixed per unit, one layout for every metric of that unit, so buckets of any two
 * runs add up: powers of √2 from 1 ms, rounded to three significant digits — 1, 1.41, 2, 2.83, 4,
 * 5.66, 8, … 371000, 741000 ms (40 bounds, 1 ms to about 12.4 minutes); a distribution in seconds
 * has the same bounds in seconds. Neighbouring bounds are √2 apart, so a quantile Prometheus
 * interpolates within a bucket lies within that bucket's width (at most 41% of its lower bound) of
 * the exact one. A unit with no layout is sent as a summary only.
 *
 * Classic rather than native histograms: a Prometheus without `--enable-feature=native-histograms`
 * answers a write holding one with 500 and keeps none of its samples (2.42), which would cost the
 * whole run's figures on a default receiver; classic buckets work on every receiver.
 */
import type { Distribution } from "../../measure/metrics/distribution.ts";

const BOUNDS = 40;

function threeDigits(v: number): number {
  return Number(v.toPrecision(3));
}

/** 2^(k/2) × `first` for k = 0…BOUNDS-1, rounded to three significant digits. */
function rootTwoBounds(first: number): number[] {
  return Array.from({ length: BOUNDS }, (_, k) => threeDigits(first * 2 ** (k / 2)));
}

const LAYOUTS: Readonly<Record<string, readonly number[]>> = {
  ms: rootTwoBounds(1),
  s: rootTwoBounds(0.001),
};

/** The finite `le` bounds of a unit's buckets, or undefined where the unit has no layout. */
export function bucketBounds(unit: string): readonly number[] | undefined {
  return LAYOUTS[unit];
}

export interface Bucket {
  /** Prometheus' spelling of the bound: `1.41`, `+Inf`. */
  le: string;
  /** Observations at or below the bound. */
  count: number;
}

/**
 * Finite bounds with their cumulative counts, then `+Inf` with every observation. Counts that
 * do not rise with the bound or exceed the total are a caller's error, refused here so a
 * histogram Prometheus would misread is never sent.
 */
export function cumulativeBuckets(
  bounds: readonly number[],
  atOrBelow: readonly number[],
  total: number,
): Bucket[] {
  if (bounds.length !== atOrBelow.length) throw new Error("cumulativeBuckets: a count per bound");
  const out: Bucket[] = bounds.map((b, i) => ({ le: String(b), count: atOrBelow[i]! }));
  out.push({ le: "+Inf", count: total });
  for (let i = 1; i < out.length; i++)
    if (out[i]!.count < out[i - 1]!.count) throw new Error("cumulativeBuckets: counts must not fall");
  return out;
}

/** A distribution's buckets in its unit's layout, or undefined where its unit has none. */
export function distributionBuckets(d: Distribution): Bucket[] | undefined {
  const bounds = bucketBounds(d.unit);
  return bounds ? cumulativeBuckets(bounds, d.countsAtOrBelow(bounds), d.count) : undefined;
}

/**
 * Prometheus histograms (cumulative buckets) into HdrHistogram distributions, so apiserver and
 * rest-client latencies sit in results.json like every other latency and merge across repeats.
 * Each bucket's observations are recorded at the bucket's upper bound (an upper estimate, as
 * histogram_quantile's interpolation would be); the +Inf bucket at the largest finite bound.
 */
import { Distribution } from "../metrics/distribution.ts";

/** Per-bucket counts observed between two scrapes of the same cumulative histogram. */
export function bucketDelta(
  before: ReadonlyArray<[number, number]> | undefined,
  after: ReadonlyArray<[number, number]>,
): Array<[number, number]> {
  const prev = new Map(before ?? []);
  const out: Array<[number, number]> = [];
  let lastCumulative = 0;
  for (const [le, cumulative] of after) {
    const delta = Math.max(0, cumulative - (prev.get(le) ?? 0));
    out.push([le, Math.max(0, delta - lastCumulative)]);
    lastCumulative = Math.max(lastCumulative, delta);
  }
  return out;
}

/** Bucket counts (seconds) → a distribution in ms. */
export function distributionFromBuckets(buckets: ReadonlyArray<[number, number]>): Distribution {
  const d = new Distribution("ms");
  const finite = buckets.filter(([le]) => Number.isFinite(le));
  const largest = finite.at(-1)?.[0] ?? 0;
  for (const [le, count] of buckets) {
    const valueMs = (Number.isFinite(le) ? le : largest) * 1000;
    d.recordMany(valueMs, count);
  }
  return d;
}

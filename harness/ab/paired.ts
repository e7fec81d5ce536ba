/**
 * Paired head/base ratios, one per pair of runs made back to back on the same machine: the
 * machine's drift over the hour moves both runs of a pair alike, so the ratio cancels most of it.
 * The interval is a seeded percentile bootstrap of the mean log-ratio (a geometric mean of the
 * ratios), so a figure that halves and one that doubles weigh the same and the result repeats
 * exactly for the same runs.
 */

import { SeededRandom } from "../random/seeded.ts";
import { normalQuantile, studentTQuantile } from "../report/compare/distributions.ts";
import type { Better } from "../results/metric-catalog.ts";

/** Below this many pairs the bootstrap has too few distinct resamples to mean anything. */
export const MIN_PAIRS_TO_DECIDE = 3;
/** Pairs-to-decide estimates beyond this are reported as "more than". */
const MAX_PAIRS_ESTIMATE = 100;

export type AbVerdict = "improved" | "unchanged" | "regressed" | "inconclusive";

export interface PairedOptions {
  /** Smallest relative change (percent) that counts as a change. */
  minEffectPercent: number;
  /** Confidence level of the interval (already corrected for the number of metrics, if wanted). */
  confidence: number;
  resamples: number;
  seed: number;
}

export const DEFAULT_PAIRED_OPTIONS: PairedOptions = {
  minEffectPercent: 10,
  confidence: 0.95,
  resamples: 4000,
  seed: 20_20,
};

export interface PairedResult {
  /** Pairs whose ratio is defined (both sides recorded, base not 0 unless head is 0 too). */
  pairs: number;
  /** Geometric mean of head/base; null without a usable pair. */
  ratio: number | null;
  ci: [number, number] | null;
  verdict: AbVerdict;
  /** For an inconclusive verdict: about how many pairs would decide it (null: far more than MAX). */
  pairsToDecide?: number | null;
  note?: string;
}

/** Log of head/base per pair; undefined where no ratio exists. */
function logRatio(base: number, head: number): number | undefined {
  if (!Number.isFinite(base) || !Number.isFinite(head)) return undefined;
  if (base === 0 && head === 0) return 0;
  if (base <= 0 || head <= 0) return undefined;
  return Math.log(head / base);
}

export function pairedRatio(
  pairs: ReadonlyArray<{ base: number | undefined; head: number | undefined }>,
  better: Better,
  options: PairedOptions = DEFAULT_PAIRED_OPTIONS,
): PairedResult {
  const logs: number[] = [];
  let undefinedRatios = 0;
  for (const p of pairs) {
    if (p.base === undefined || p.head === undefined) continue;
    const l = logRatio(p.base, p.head);
    if (l === undefined) undefinedRatios++;
    else logs.push(l);
  }
  const zeroNote =
    undefinedRatios > 0 ? `${undefinedRatios} pair(s) with a 0 on one side have no ratio` : undefined;
  if (logs.length === 0)
    return {
      pairs: 0,
      ratio: null,
      ci: null,
      verdict: "inconclusive",
      pairsToDecide: null,
      note: zeroNote ?? "not recorded on both sides",
    };
  const mean = average(logs);
  const [lo, hi] = bootstrapInterval(logs, options);
  const result: PairedResult = {
    pairs: logs.length,
    ratio: Math.exp(mean),
    ci: [Math.exp(lo), Math.exp(hi)],
    verdict: "inconclusive",
    ...(zeroNote ? { note: zeroNote } : {}),
  };
  const band = Math.log(1 + options.minEffectPercent / 100);
  const significant = lo > 0 || hi < 0;
  if (logs.length < MIN_PAIRS_TO_DECIDE) {
    // With one or two pairs the expanded interval spans orders of magnitude: none is shown.
    result.ci = null;
    result.pairsToDecide = Math.max(MIN_PAIRS_TO_DECIDE, pairsNeeded(logs.length, lo, hi, mean, band) ?? 0);
    return result;
  }
  if (significant && Math.abs(mean) >= band) {
    const worse = better === "lower" ? mean > 0 : better === "higher" ? mean < 0 : false;
    result.verdict = better === "neutral" ? "unchanged" : worse ? "regressed" : "improved";
  } else if (significant || (lo >= -band && hi <= band)) {
    result.verdict = "unchanged";
  } else {
    result.pairsToDecide = pairsNeeded(logs.length, lo, hi, mean, band);
  }
  return result;
}

/**
 * The interval narrows as 1/√n: the pairs at which its half-width would fall below the distance
 * that decides (to 1 when the change is at least the minimum effect, else to the band's edge).
 */
function pairsNeeded(n: number, lo: number, hi: number, mean: number, band: number): number | null {
  const half = (hi - lo) / 2;
  const target = Math.abs(mean) >= band ? Math.abs(mean) : band - Math.abs(mean);
  if (half === 0) return n;
  if (target <= 0) return null;
  const needed = Math.ceil(n * (half / target) ** 2);
  return needed > MAX_PAIRS_ESTIMATE ? null : Math.max(n + 1, needed);
}

function average(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/**
 * Percentile bootstrap of the mean, seeded, expanded for small samples (Hesterberg's expanded
 * percentile interval): the plain percentile interval is too narrow at a handful of pairs — it
 * ignores that the spread itself is estimated — so its distances from the mean are stretched by
 * √(n/(n−1)) · t(n−1)/z, which is what a t interval adds over a normal one.
 */
function bootstrapInterval(xs: readonly number[], options: PairedOptions): [number, number] {
  const [lo, hi] = plainBootstrapInterval(xs, options);
  const n = xs.length;
  if (n < 2) return [lo, hi];
  const q = 1 - (1 - options.confidence) / 2;
  const stretch = Math.sqrt(n / (n - 1)) * (studentTQuantile(q, n - 1) / normalQuantile(q));
  const mean = average(xs);
  return [mean - (mean - lo) * stretch, mean + (hi - mean) * stretch];
}

function plainBootstrapInterval(xs: readonly number[], options: PairedOptions): [number, number] {
  const random = new SeededRandom(options.seed);
  const means = new Float64Array(options.resamples);
  for (let r = 0; r < options.resamples; r++) {
    let sum = 0;
    for (let i = 0; i < xs.length; i++) sum += xs[Math.floor(random.next() * xs.length)]!;
    means[r] = sum / xs.length;
  }
  means.sort();
  const tail = (1 - options.confidence) / 2;
  const at = (q: number) => means[Math.min(means.length - 1, Math.max(0, Math.floor(q * means.length)))]!;
  return [at(tail), at(1 - tail)];
}

/**
 * The order runs are made in: A B B A A B B A … — each side goes first as often as second, so a
 * warm cache or a machine that slows over the hour does not favour either.
 */
export function runOrder(pairs: number): Array<{ side: "base" | "head"; pair: number }> {
  const out: Array<{ side: "base" | "head"; pair: number }> = [];
  for (let k = 1; k <= pairs; k++) {
    const first = k % 2 === 1 ? "base" : "head";
    const second = first === "base" ? "head" : "base";
    out.push({ side: first, pair: k }, { side: second, pair: k });
  }
  return out;
}

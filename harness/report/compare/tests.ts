/**
 * The two-sample tests compare uses: Welch's t-test on per-repeat values (repeats are the
 * independent unit), and Mann-Whitney U on raw samples from the histograms when there is only
 * one run per side.
 */
import type { Bucket } from "../../results/histogram.ts";
import { normalCdf, studentTCdf, studentTQuantile } from "./distributions.ts";

export interface WelchResult {
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** mean(head) − mean(base). */
  diff: number;
  /** Confidence interval of the difference of means. */
  ci: [number, number];
}

function meanVar(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

/** Welch's unequal-variance t-test of head vs base (each ≥ 2 values). */
export function welchTTest(base: readonly number[], head: readonly number[], confidence = 0.95): WelchResult {
  if (base.length < 2 || head.length < 2) throw new RangeError("welchTTest needs at least 2 values per side");
  const b = meanVar(base);
  const h = meanVar(head);
  const diff = h.mean - b.mean;
  const vb = b.variance / base.length;
  const vh = h.variance / head.length;
  const se = Math.sqrt(vb + vh);
  if (se === 0) {
    // Both sides constant: any difference is exact, not noise.
    return {
      t: diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY,
      df: base.length + head.length - 2,
      p: diff === 0 ? 1 : 0,
      diff,
      ci: [diff, diff],
    };
  }
  const t = diff / se;
  const df = (vb + vh) ** 2 / (vb ** 2 / (base.length - 1) + vh ** 2 / (head.length - 1));
  const p = 2 * (1 - studentTCdf(Math.abs(t), df));
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
  return { t, df, p: Math.min(1, p), diff, ci: [diff - half, diff + half] };
}

export interface MannWhitneyResult {
  /** U of the head sample. */
  u: number;
  z: number;
  /** Two-sided p-value (normal approximation with tie and continuity correction, as R's wilcox.test). */
  p: number;
  /** P(head > base) + ½ P(head = base): 0.5 means no shift. */
  probabilityOfSuperiority: number;
}

/** Mann-Whitney U on weighted samples (value, count), e.g. histogram buckets; ties get mid-ranks. */
export function mannWhitneyU(base: readonly Bucket[], head: readonly Bucket[]): MannWhitneyResult {
  const n1 = base.reduce((s, b) => s + b.count, 0);
  const n2 = head.reduce((s, b) => s + b.count, 0);
  if (n1 === 0 || n2 === 0) throw new RangeError("mannWhitneyU needs samples on both sides");
  const values = new Map<number, { base: number; head: number }>();
  for (const b of base)
    values.set(b.value, {
      base: (values.get(b.value)?.base ?? 0) + b.count,
      head: values.get(b.value)?.head ?? 0,
    });
  for (const h of head)
    values.set(h.value, {
      base: values.get(h.value)?.base ?? 0,
      head: (values.get(h.value)?.head ?? 0) + h.count,
    });
  const sorted = [...values.entries()].sort((a, b) => a[0] - b[0]);
  let rank = 0;
  let headRankSum = 0;
  let tieTerm = 0;
  for (const [, c] of sorted) {
    const t = c.base + c.head;
    const midRank = rank + (t + 1) / 2;
    headRankSum += c.head * midRank;
    tieTerm += t ** 3 - t;
    rank += t;
  }
  const n = n1 + n2;
  const u = headRankSum - (n2 * (n2 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return { u, z: 0, p: 1, probabilityOfSuperiority: u / (n1 * n2) };
  const dev = u - mu;
  const z = (dev - Math.sign(dev) * 0.5) / sigma;
  const p = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { u, z, p, probabilityOfSuperiority: u / (n1 * n2) };
}

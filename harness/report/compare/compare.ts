/**
 * Comparing a base and a head (each one run or several repeats), metric by metric. A change is
 * reported as improved/regressed only when it is both statistically significant and at least the
 * minimum effect size — shared CI machines are noisy, and an A/A comparison must come out
 * unchanged. Direction comes from the metric catalog (lower latency is better, higher achieved
 * rate is better).
 */
import { type Better, baseMetricName, betterDirection, bucketLayout } from "../../results/metric-catalog.ts";
import type { DistributionMetric, Metric, Results } from "../../results/schema.ts";
import { bucketWidthAt, observedBounds } from "./resolution.ts";
import { percentileInterval, percentileOf, rawSamples, type Stat, statsFor, statValue } from "./samples.ts";
import { mannWhitneyU, welchTTest } from "./tests.ts";

export interface CompareOptions {
  /** Smallest relative change (percent) that counts as a change at all. */
  minEffectPercent: number;
  /** Significance level of the test. */
  alpha: number;
  /** Confidence level of the reported intervals. */
  confidence: number;
  /** A regression larger than this (percent) on a gated metric fails the comparison; default minEffectPercent. */
  budgetPercent?: number;
  /** Restrict gating to these metrics (base names or full keys); default: every metric with a direction. */
  gate?: readonly string[];
  distributionStats: readonly Stat[];
  /**
   * Multiple-comparison correction of the t-test p-values across all compared rows. With ~15
   * gated metrics an uncorrected α = 0.05 would flag some metric in a third of A/A runs on a noisy
   * machine; Holm's step-down keeps the family-wise error at α.
   */
  correction: "holm" | "none";
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = {
  minEffectPercent: 10,
  alpha: 0.05,
  confidence: 0.95,
  distributionStats: ["p50", "p99"],
  correction: "holm",
};

/** Repeats per side below which run-to-run noise cannot be estimated well enough to decide. */
export const MIN_REPEATS_TO_DECIDE = 3;

export type Verdict = "improved" | "regressed" | "unchanged" | "changed" | "inconclusive" | "missing";
export type TestName = "welch-t" | "percentile-ci+mann-whitney" | "none";

export interface SideSummary {
  n: number;
  mean: number | null;
  values: number[];
}

export interface ComparisonRow {
  metric: string;
  stat: Stat;
  unit: string;
  better: Better;
  gated: boolean;
  base: SideSummary;
  head: SideSummary;
  /** (head − base) / base in percent; null when the base is 0 or a side is missing. */
  changePercent: number | null;
  /** Confidence interval of the change, percent of base. */
  ciPercent: [number, number] | null;
  test: TestName;
  /** The test's two-sided p-value (Mann-Whitney U's for raw samples). */
  p: number | null;
  /** The t-test p-value after the multiple-comparison correction; it decides significance. */
  pAdjusted: number | null;
  verdict: Verdict;
  note?: string;
  /** Bucketed figures: the bucket width at the compared value, in the metric's unit. */
  resolution?: number;
}

export interface ComparisonSide {
  label: string;
  scenario: string;
  runIds: string[];
}

export interface Comparison {
  base: ComparisonSide;
  head: ComparisonSide;
  options: CompareOptions & { budgetPercent: number };
  rows: ComparisonRow[];
  /** Gated rows that regressed beyond the budget. */
  regressions: ComparisonRow[];
  verdict: "pass" | "fail" | "inconclusive";
  warnings: string[];
}

export function compareRuns(
  base: { label: string; runs: readonly Results[] },
  head: { label: string; runs: readonly Results[] },
  partial: Partial<CompareOptions> = {},
): Comparison {
  const options = { ...DEFAULT_COMPARE_OPTIONS, ...partial };
  const budgetPercent = options.budgetPercent ?? options.minEffectPercent;
  const names = [...new Set([...base.runs, ...head.runs].flatMap((r) => Object.keys(r.metrics)))]
    .filter((n) => !n.includes("quantile="))
    .sort();
  const pending: Pending[] = [];
  for (const name of names) {
    const shape = firstMetric(base.runs, name) ?? firstMetric(head.runs, name);
    if (!shape) continue;
    for (const stat of statsFor(name, shape, options.distributionStats)) {
      pending.push(compareStat(name, stat, shape.unit, base.runs, head.runs, options));
    }
  }
  const tested = pending.filter((x) => x.row.test === "welch-t");
  const adjusted =
    options.correction === "holm" ? holmAdjust(tested.map((x) => x.row.p!)) : tested.map((x) => x.row.p!);
  tested.forEach((x, i) => {
    x.row.pAdjusted = adjusted[i]!;
    x.significant = adjusted[i]! < options.alpha;
  });
  const rows = pending.map((x) => decide(x, options));
  const regressions = rows.filter(
    (r) =>
      r.gated &&
      r.verdict === "regressed" &&
      r.changePercent !== null &&
      Math.abs(r.changePercent) > budgetPercent,
  );
  const warnings: string[] = [];
  const scenario = (runs: readonly Results[]) => [...new Set(runs.map((r) => r.run.scenario))].join(", ");
  if (scenario(base.runs) !== scenario(head.runs)) {
    warnings.push(`comparing different scenarios: base ${scenario(base.runs)}, head ${scenario(head.runs)}`);
  }
  if (base.runs.length < 2 || head.runs.length < 2) {
    warnings.push(
      `fewer than 2 repeats on a side: a change is at most "inconclusive" (single runs miss run-to-run noise); use --repeat ${MIN_REPEATS_TO_DECIDE} or more on each side to decide`,
    );
  }
  const side = (s: { label: string; runs: readonly Results[] }): ComparisonSide => ({
    label: s.label,
    scenario: scenario(s.runs),
    runIds: s.runs.map((r) => r.run.id),
  });
  return {
    base: side(base),
    head: side(head),
    options: { ...options, budgetPercent },
    rows,
    regressions,
    verdict:
      regressions.length > 0
        ? "fail"
        : rows.some((r) => r.gated && r.verdict === "inconclusive")
          ? "inconclusive"
          : "pass",
    warnings,
  };
}

function firstMetric(runs: readonly Results[], name: string): Metric | undefined {
  for (const r of runs) if (r.metrics[name]) return r.metrics[name];
  return undefined;
}

function summarize(values: number[]): SideSummary {
  return {
    n: values.length,
    mean: values.length ? values.reduce((s, v) => s + v, 0) / values.length : null,
    values,
  };
}

function isGated(name: string, better: Better, gate: readonly string[] | undefined): boolean {
  if (better === "neutral") return false;
  return gate === undefined || gate.includes(name) || gate.includes(baseMetricName(name));
}

/** A row whose verdict waits for the multiple-comparison correction. */
interface Pending {
  row: ComparisonRow;
  diff: number;
  bigEnough: boolean;
  /** undefined: no test possible. */
  significant: boolean | undefined;
}

/** Holm–Bonferroni adjusted p-values, in the input order. */
export function holmAdjust(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = new Array<number>(ps.length);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (ps.length - rank) * p));
    out[i] = running;
  });
  return out;
}

function compareStat(
  name: string,
  stat: Stat,
  unit: string,
  baseRuns: readonly Results[],
  headRuns: readonly Results[],
  options: CompareOptions,
): Pending {
  const valuesOf = (runs: readonly Results[]) =>
    runs
      .map((r) => (r.metrics[name] ? statValue(r.metrics[name], stat) : undefined))
      .filter((v): v is number => v !== undefined);
  const base = summarize(valuesOf(baseRuns));
  const head = summarize(valuesOf(headRuns));
  const better = betterDirection(name);
  const row: ComparisonRow = {
    metric: name,
    stat,
    unit,
    better,
    gated: isGated(name, better, options.gate),
    base,
    head,
    changePercent: null,
    ciPercent: null,
    test: "none",
    p: null,
    pAdjusted: null,
    verdict: "missing",
  };
  if (base.mean === null || head.mean === null) {
    row.note = `not recorded in ${base.mean === null ? "base" : "head"}`;
    return { row, diff: 0, bigEnough: false, significant: undefined };
  }
  const diff = head.mean - base.mean;
  const relative = (x: number): number | null =>
    base.mean === 0 ? (x === 0 ? 0 : null) : (100 * x) / Math.abs(base.mean!);
  row.changePercent = relative(diff);
  let significant: boolean | undefined;
  if (base.n >= 2 && head.n >= 2) {
    const w = welchTTest(base.values, head.values, options.confidence);
    row.test = "welch-t";
    row.p = w.p;
    row.ciPercent = pair(relative(w.ci[0]), relative(w.ci[1]));
    significant = w.p < options.alpha; // replaced after the correction across rows
  } else {
    const raw = rawComparison(name, stat, baseRuns, headRuns, options.confidence);
    if (raw) {
      row.test = "percentile-ci+mann-whitney";
      row.p = raw.p;
      row.ciPercent = pair(relative(raw.ci[0]), relative(raw.ci[1]));
      // The percentile's own interval decides; the rank test's p is reported alongside.
      significant = raw.ci[0] > 0 || raw.ci[1] < 0;
    }
  }
  const bigEnough =
    row.changePercent === null ? diff !== 0 : Math.abs(row.changePercent) >= options.minEffectPercent;
  const layout = bucketLayout(name);
  if (layout) {
    const bounds =
      layout.bounds.length > 0
        ? layout.bounds
        : observedBounds([...baseRuns, ...headRuns].map((r) => r.metrics[name]));
    if (bounds.length > 0) row.resolution = bucketWidthAt(bounds, Math.max(base.mean, head.mean));
  }
  return { row, diff, bigEnough, significant };
}

function decide({ row, diff, bigEnough, significant }: Pending, options: CompareOptions): ComparisonRow {
  if (row.base.mean === null || row.head.mean === null) return row;
  const better = row.better;
  const needsRepeats = `needs ≥ ${MIN_REPEATS_TO_DECIDE} repeats per side to decide`;
  if (row.resolution !== undefined && Math.abs(diff) <= row.resolution * (1 + 1e-3)) {
    row.verdict = "unchanged";
    row.note = `within one histogram bucket (${round3(row.resolution)} ${row.unit} wide): below the figure's resolution`;
  } else if (significant === undefined) {
    row.verdict = bigEnough ? "inconclusive" : "unchanged";
    row.note = `no test: one value per side (${needsRepeats})`;
  } else if (row.test === "percentile-ci+mann-whitney" && significant && bigEnough) {
    // Samples of one run each: their difference may be this run's luck, not the code's.
    row.verdict = "inconclusive";
    row.note = `one run per side: a within-run difference that run-to-run noise may explain (${needsRepeats})`;
  } else if (significant && bigEnough) {
    row.verdict =
      better === "neutral" ? "changed" : diff < 0 === (better === "lower") ? "improved" : "regressed";
  } else {
    row.verdict = "unchanged";
    if (significant) row.note = `significant but below the ${options.minEffectPercent} % minimum effect`;
  }
  return row;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function pair(a: number | null, b: number | null): [number, number] | null {
  return a === null || b === null ? null : [a, b];
}

/** Single runs: the percentile's order-statistic intervals, and Mann-Whitney U on the raw samples. */
function rawComparison(
  name: string,
  stat: Stat,
  baseRuns: readonly Results[],
  headRuns: readonly Results[],
  confidence: number,
): { p: number; ci: [number, number] } | undefined {
  const percentile = percentileOf(stat);
  const b = baseRuns[0]?.metrics[name];
  const h = headRuns[0]?.metrics[name];
  if (percentile === undefined || b?.type !== "distribution" || h?.type !== "distribution") return undefined;
  if (b.count === 0 || h.count === 0) return undefined;
  const { p } = mannWhitneyU(
    rawSamples(b, `base ${name}`),
    rawSamples(h as DistributionMetric, `head ${name}`),
  );
  // Each side at (1+confidence)/2 so that the difference keeps at least `confidence` (Bonferroni).
  const each = 1 - (1 - confidence) / 2;
  const [bLo, bHi] = percentileInterval(b, percentile, each);
  const [hLo, hHi] = percentileInterval(h, percentile, each);
  return { p, ci: [hLo - bHi, hHi - bLo] };
}

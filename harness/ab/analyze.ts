/**
 * An interleaved A/B's answer: for every gated metric, head/base as a paired ratio with its
 * interval and a verdict, and one verdict for the whole: regressed when any gated metric
 * regressed, else inconclusive when any could not be decided, else improved or unchanged.
 */

import { bucketWidthAt, observedBounds } from "../report/compare/resolution.ts";
import { type Stat, statsFor, statValue } from "../report/compare/samples.ts";
import { type Better, baseMetricName, betterDirection, bucketLayout } from "../results/metric-catalog.ts";
import type { Results } from "../results/schema.ts";
import {
  type AbVerdict,
  DEFAULT_PAIRED_OPTIONS,
  MIN_PAIRS_TO_DECIDE,
  type PairedOptions,
  pairedRatio,
} from "./paired.ts";

export interface AbAnalysisOptions {
  minEffectPercent: number;
  /** Family confidence: each metric's interval is Bonferroni-corrected to keep A/A false alarms at 1 − this. */
  confidence: number;
  /** Restrict gating to these metrics (base names or full keys); default: every metric with a direction. */
  gate?: readonly string[];
  distributionStats: readonly Stat[];
  seed: number;
}

export const DEFAULT_AB_OPTIONS: AbAnalysisOptions = {
  minEffectPercent: 10,
  confidence: 0.95,
  distributionStats: ["p50", "p99"],
  seed: DEFAULT_PAIRED_OPTIONS.seed,
};

export interface AbRow {
  metric: string;
  stat: Stat;
  unit: string;
  better: Better;
  /** Geometric means of each side's per-run values (null when never recorded). */
  base: number | null;
  head: number | null;
  values: { base: Array<number | null>; head: Array<number | null> };
  pairs: number;
  ratio: number | null;
  ci: [number, number] | null;
  verdict: AbVerdict;
  pairsToDecide?: number | null;
  note?: string;
}

export interface AbAnalysis {
  verdict: AbVerdict;
  /** One line leading with the answer. */
  headline: string;
  rows: AbRow[];
  /** Per-metric interval level after the correction across the gated rows. */
  perMetricConfidence: number;
  options: AbAnalysisOptions;
}

function geometricMean(values: ReadonlyArray<number | null>): number | null {
  const xs = values.filter((v): v is number => v !== null);
  if (xs.length === 0) return null;
  if (xs.some((x) => x <= 0)) return xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

/**
 * A bare name gates every series of the metric; `name{}` only its unlabelled series (a total
 * beside its per-label breakdown); a full key with labels exactly that series.
 */
export function matchesGate(name: string, gate: readonly string[]): boolean {
  return gate.some((g) => {
    if (g === name) return true;
    if (g.endsWith("{}")) return g.slice(0, -2) === name;
    return !g.includes("{") && g === baseMetricName(name);
  });
}

function isGated(name: string, better: Better, gate: readonly string[] | undefined): boolean {
  if (better === "neutral") return false;
  return gate === undefined || matchesGate(name, gate);
}

/** `base[k]` and `head[k]` are pair k's runs. */
export function analyzeAb(
  base: ReadonlyArray<Results>,
  head: ReadonlyArray<Results>,
  labels: { base: string; head: string; scenario: string },
  partial: Partial<AbAnalysisOptions> = {},
): AbAnalysis {
  const options = { ...DEFAULT_AB_OPTIONS, ...partial };
  const names = [...new Set([...base, ...head].flatMap((r) => Object.keys(r.metrics)))]
    .filter((n) => !n.includes("quantile=") && isGated(n, betterDirection(n), options.gate))
    .sort();
  const planned: Array<{ name: string; stat: Stat; unit: string }> = [];
  for (const name of names) {
    const shape = [...base, ...head].find((r) => r.metrics[name])?.metrics[name];
    if (!shape) continue;
    for (const stat of statsFor(name, shape, options.distributionStats))
      planned.push({ name, stat, unit: shape.unit });
  }
  const perMetricConfidence = 1 - (1 - options.confidence) / Math.max(1, planned.length);
  const paired: PairedOptions = {
    minEffectPercent: options.minEffectPercent,
    confidence: perMetricConfidence,
    resamples: 10_000,
    seed: options.seed,
  };
  const pairCount = Math.min(base.length, head.length);
  const rows = planned.map(({ name, stat, unit }): AbRow => {
    const valueIn = (r: Results | undefined) => {
      const m = r?.metrics[name];
      return m ? (statValue(m, stat) ?? null) : null;
    };
    const values = {
      base: Array.from({ length: pairCount }, (_, k) => valueIn(base[k])),
      head: Array.from({ length: pairCount }, (_, k) => valueIn(head[k])),
    };
    const better = betterDirection(name);
    const result = pairedRatio(
      values.base.map((b, k) => ({ base: b ?? undefined, head: values.head[k] ?? undefined })),
      better,
      paired,
    );
    const row: AbRow = {
      metric: name,
      stat,
      unit,
      better,
      base: geometricMean(values.base),
      head: geometricMean(values.head),
      values,
      ...result,
    };
    return withinResolution(row, [...base, ...head]);
  });
  const verdict = overall(rows);
  return {
    verdict,
    headline: headline(verdict, rows, labels, pairCount),
    rows,
    perMetricConfidence,
    options,
  };
}

/** A figure read from histogram buckets that moved by at most one bucket has not measurably moved. */
function withinResolution(row: AbRow, runs: readonly Results[]): AbRow {
  const layout = bucketLayout(row.metric);
  // Fewer pairs than decide anything stay undecided, bucket or not.
  if (!layout || row.base === null || row.head === null || row.verdict === "unchanged") return row;
  if (row.pairs < MIN_PAIRS_TO_DECIDE) return row;
  const bounds =
    layout.bounds.length > 0 ? layout.bounds : observedBounds(runs.map((r) => r.metrics[row.metric]));
  if (bounds.length === 0) return row;
  const width = bucketWidthAt(bounds, Math.max(row.base, row.head));
  if (Math.abs(row.head - row.base) > width * (1 + 1e-3)) return row;
  const { pairsToDecide: _, ...rest } = row;
  return {
    ...rest,
    verdict: "unchanged",
    note: `within one histogram bucket (${Math.round(width * 1000) / 1000} ${row.unit} wide): below the figure's resolution`,
  };
}

function overall(rows: readonly AbRow[]): AbVerdict {
  if (rows.some((r) => r.verdict === "regressed")) return "regressed";
  if (rows.some((r) => r.verdict === "inconclusive")) return "inconclusive";
  if (rows.some((r) => r.verdict === "improved")) return "improved";
  return "unchanged";
}

export function ratioText(ratio: number | null): string {
  return ratio === null ? "n/a" : `×${ratio.toFixed(3)}`;
}

function headline(
  verdict: AbVerdict,
  rows: readonly AbRow[],
  labels: { base: string; head: string; scenario: string },
  pairs: number,
): string {
  const of = (v: AbVerdict) => rows.filter((r) => r.verdict === v);
  const named = (rs: readonly AbRow[]) =>
    rs
      .slice(0, 5)
      .map((r) => `${r.metric} ${r.stat} ${ratioText(r.ratio)}`)
      .join(", ") + (rs.length > 5 ? `, … ${rs.length - 5} more` : "");
  const lead = `${verdict.toUpperCase()}: ${labels.head} against ${labels.base} on ${labels.scenario}, ${pairs} pair(s) run alternately`;
  const parts = [
    `${of("regressed").length} regressed`,
    `${of("improved").length} improved`,
    `${of("unchanged").length} unchanged`,
    `${of("inconclusive").length} inconclusive`,
  ];
  const lines = [`${lead} — ${rows.length} gated figure(s): ${parts.join(", ")}`];
  if (of("regressed").length) lines.push(`regressed: ${named(of("regressed"))}`);
  if (of("improved").length) lines.push(`improved: ${named(of("improved"))}`);
  const undecided = of("inconclusive");
  if (undecided.length) {
    const estimates = undecided.map((r) => r.pairsToDecide).filter((n): n is number => typeof n === "number");
    const unbounded = undecided.length - estimates.length;
    const most = estimates.length ? Math.max(...estimates) : undefined;
    lines.push(
      `inconclusive: ${undecided.length} figure(s) — ` +
        (most !== undefined ? `about ${most} pairs would decide ${estimates.length} of them` : "") +
        (unbounded
          ? `${most !== undefined ? "; " : ""}${unbounded} need more than 100 pairs or have no ratio`
          : ""),
    );
  }
  return lines.join("\n");
}

/**
 * The spread across repeats: for every gated figure (a thresholded metric at the statistic its
 * threshold reads) and every cost count, how much it moved between runs of the same scenario —
 * n, mean, sample standard deviation, coefficient of variation, min and max. It says how noisy a
 * gate is on the machine the repeats ran on, before anyone trusts its verdict.
 */
import { HarnessError } from "../../errors.ts";
import { baseMetricName, isCostCount, METRIC_CATALOG } from "../../results/metric-catalog.ts";
import type { Metric, Results } from "../../results/schema.ts";
import { DEFAULT_POWER, type PowerOptions, repeatsToSee } from "./repeats-needed.ts";

/** A cost count whose coefficient of variation is above this is flagged: counts should not move with the machine. */
export const COST_CV_LIMIT = 0.02;

export interface SpreadRow {
  /** The metric key as stored, labels included. */
  metric: string;
  /** What was taken of it in each run: the threshold's aggregation (`p(99)`, `avg`, `count`, `value` …). */
  stat: string;
  unit: string;
  /** A threshold gates this figure. */
  gated: boolean;
  /** One of the cost counts (metric catalog). */
  cost: boolean;
  /** Each sample's figure, in sample order; null where that run did not record it. */
  values: Array<number | null>;
  /** Samples that recorded the figure (a run missing it is left out, never counted as 0). */
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1); null below 2 values. */
  sd: number | null;
  /** sd / |mean|; 0 when every value is 0, null when it is undefined (fewer than 2 values, mean 0). */
  cv: number | null;
  min: number | null;
  max: number | null;
  /** A cost count whose CV is above COST_CV_LIMIT. */
  aboveCostLimit: boolean;
  /** Repeats per side a t-test needs to see `power.change` at this CV (null: unknown CV, mean 0, or more than 1000). */
  repeatsToSee: number | null;
}

export interface Spread {
  scenario: string;
  /** Run ids of the samples, in order. */
  samples: string[];
  costCvLimit: number;
  /** The change, test level and power `repeatsToSee` is for. */
  power: PowerOptions;
  /** Highest CV first; rows whose CV is undefined last. */
  rows: SpreadRow[];
}

export interface Summary {
  n: number;
  mean: number | null;
  sd: number | null;
  cv: number | null;
  min: number | null;
  max: number | null;
}

/** n, mean, sample sd (n − 1), CV, min and max of the values present; nulls are missing samples. */
export function summarize(values: ReadonlyArray<number | null>): Summary {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null, cv: null, min: null, max: null };
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const sd = n < 2 ? null : Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const cv = sd === null ? null : mean === 0 ? (sd === 0 ? 0 : null) : sd / Math.abs(mean);
  return { n, mean, sd, cv, min: Math.min(...xs), max: Math.max(...xs) };
}

/** Why these results cannot be one set of samples, or undefined when they can. */
export function sampleProblem(samples: readonly Results[]): HarnessError | undefined {
  if (samples.length < 2) {
    return new HarnessError(`the spread needs at least 2 runs of one scenario, found ${samples.length}`, {
      fix: "pass a run directory written with --repeat N (N ≥ 2), or two or more results files or run directories",
    });
  }
  const scenarios = new Map<string, number>();
  for (const s of samples) scenarios.set(s.run.scenario, (scenarios.get(s.run.scenario) ?? 0) + 1);
  if (scenarios.size > 1) {
    const counts = [...scenarios].map(([name, count]) => `${name} × ${count}`).join(", ");
    return new HarnessError(
      `the runs are of different scenarios (${counts}): their figures are not repeats`,
      {
        fix: "pass runs of one scenario only",
      },
    );
  }
  return undefined;
}

/** The statistic a threshold expression reads: everything before its comparison (`p(99)<30000` → `p(99)`). */
export function thresholdStat(expression: string): string {
  return expression.replace(/\s*(?:<=|>=|===|==|!=|<|>)[\s\S]*$/, "").trim();
}

interface Figure {
  metric: string;
  stat: string;
  gated: boolean;
  cost: boolean;
}

const keyOf = (metric: string, stat: string) => `${metric}\u0000${stat}`;

/** The figures the samples gate or count: each thresholded metric at its statistic, each cost count's value. */
function figuresOf(samples: readonly Results[]): Map<string, Figure> {
  const figures = new Map<string, Figure>();
  for (const s of samples) {
    for (const t of s.thresholds) {
      const stat = thresholdStat(t.expression);
      const key = keyOf(t.metric, stat);
      figures.set(key, { metric: t.metric, stat, gated: true, cost: isCostCount(t.metric) });
    }
  }
  for (const s of samples) {
    for (const [name, metric] of Object.entries(s.metrics)) {
      if (!isCostCount(name) || (metric.type !== "gauge" && metric.type !== "counter")) continue;
      const key = keyOf(name, "value");
      if (!figures.has(key)) figures.set(key, { metric: name, stat: "value", gated: false, cost: true });
    }
  }
  return figures;
}

/** One sample's figure: the value its threshold was judged on, or a cost count's value. */
function valueIn(sample: Results, figure: Figure): number | null {
  const metric = sample.metrics[figure.metric];
  // The stored value is unrounded; a threshold's value is rounded to 3 decimals.
  if (figure.stat === "value" && (metric?.type === "gauge" || metric?.type === "counter"))
    return metric.value;
  const judged = sample.thresholds.find(
    (t) => t.metric === figure.metric && thresholdStat(t.expression) === figure.stat && t.value !== null,
  );
  return judged?.value ?? null;
}

function unitOf(samples: readonly Results[], figure: Figure): string {
  if (figure.stat === "count") return "count";
  const metric: Metric | undefined = samples
    .map((s) => s.metrics[figure.metric])
    .find((m) => m !== undefined);
  // A figure no run recorded still has the unit the catalog gives it.
  const unit = metric?.unit ?? METRIC_CATALOG[baseMetricName(figure.metric)]?.unit ?? "";
  return figure.stat === "rate" ? `${unit}/s` : unit;
}

function byCvDescending(a: SpreadRow, b: SpreadRow): number {
  if (a.cv === null || b.cv === null) {
    if (a.cv !== b.cv) return a.cv === null ? 1 : -1;
  } else if (a.cv !== b.cv) return b.cv - a.cv;
  return a.metric.localeCompare(b.metric) || a.stat.localeCompare(b.stat);
}

/** The spread of every gated figure and cost count across the samples (runs of one scenario). */
export function spreadOf(samples: readonly Results[], power: PowerOptions = DEFAULT_POWER): Spread {
  const problem = sampleProblem(samples);
  if (problem) throw problem;
  const rows: SpreadRow[] = [];
  for (const figure of figuresOf(samples).values()) {
    const values = samples.map((s) => valueIn(s, figure));
    const summary = summarize(values);
    rows.push({
      ...figure,
      unit: unitOf(samples, figure),
      values,
      ...summary,
      aboveCostLimit: figure.cost && summary.cv !== null && summary.cv > COST_CV_LIMIT,
      // A change of a figure that is 0 is 0: no number of repeats sees it.
      repeatsToSee: summary.mean === 0 ? null : repeatsToSee(summary.cv, power),
    });
  }
  return {
    scenario: samples[0]?.run.scenario ?? "",
    samples: samples.map((s) => s.run.id),
    costCvLimit: COST_CV_LIMIT,
    power,
    rows: rows.sort(byCvDescending),
  };
}

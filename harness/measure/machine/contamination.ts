/**
 * Whether other work on the machine spoiled a run's timings: unmeasured processes (or the
 * hypervisor's steal) took more than a set share of the cores on average over the run. A
 * contaminated run's timing thresholds are "inconclusive", not pass or fail — counts and
 * correctness still judge.
 */

import { baseMetricName, METRIC_CATALOG } from "../../results/metric-catalog.ts";
import type { MetricMap } from "../metrics/types.ts";

/** Share of the machine's cores other work may take before a run's timings stop counting. */
export const DEFAULT_CONTAMINATION_SHARE = 0.25;
/** `run --contamination-share` and `ab --contamination-share` set it for the runs they start. */
export const CONTAMINATION_SHARE_ENV = "PATRONUS_BENCH_CONTAMINATION_SHARE";

export function contaminationShare(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[CONTAMINATION_SHARE_ENV];
  const share = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(share) && share > 0 ? share : DEFAULT_CONTAMINATION_SHARE;
}

export interface Contamination {
  contaminated: boolean;
  reasons: string[];
}

function meanOfSeries(metrics: MetricMap, name: string): number | undefined {
  const m = metrics[name];
  if (m?.type !== "series" || m.points.length === 0) return undefined;
  return m.points.reduce((s, p) => s + p[1], 0) / m.points.length;
}

export function judgeContamination(
  metrics: MetricMap,
  cores: number,
  durationSeconds: number,
  share: number = contaminationShare(),
): Contamination | undefined {
  const unmeasured = meanOfSeries(metrics, "unmeasured_cpu_cores");
  const stealMetric = metrics.cpu_steal_seconds;
  const steal =
    stealMetric?.type === "gauge" && durationSeconds > 0 ? stealMetric.value / durationSeconds : undefined;
  if (unmeasured === undefined && steal === undefined) return undefined;
  const limit = share * cores;
  const reasons: string[] = [];
  const of = (x: number) => `${x.toFixed(1)} of ${cores} cores`;
  if (unmeasured !== undefined && unmeasured > limit)
    reasons.push(
      `contaminated: another process used ${of(unmeasured)} (mean over the run; more than ${share} of the cores)`,
    );
  if (steal !== undefined && steal > limit)
    reasons.push(
      `contaminated: the hypervisor stole ${of(steal)} (mean over the run; more than ${share} of the cores)`,
    );
  return { contaminated: reasons.length > 0, reasons };
}

/** Timings move with the machine's speed: latencies, convergence, durations. */
export function isTimingMetric(name: string): boolean {
  const base = baseMetricName(name);
  const info = METRIC_CATALOG[base];
  if (info) return info.better === "lower" && (info.unit === "ms" || info.unit === "s");
  return /_(latency|convergence|gap|recovery|delay|seconds)$/.test(base);
}

export type ThresholdStatus = "pass" | "fail" | "inconclusive";

export function thresholdStatus(metric: string, passed: boolean, contaminated: boolean): ThresholdStatus {
  if (contaminated && isTimingMetric(metric)) return "inconclusive";
  return passed ? "pass" : "fail";
}

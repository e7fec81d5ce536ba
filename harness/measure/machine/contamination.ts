/**
 * Whether other work on the machine spoiled a run's timings: unmeasured processes (or the
 * hypervisor's steal) took more than a set share of the cores on average over the run, or the
 * capacity probe (capacity-probe.ts) took much longer at one end of the run than at the other. A
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
  return positiveFromEnv(env, CONTAMINATION_SHARE_ENV, DEFAULT_CONTAMINATION_SHARE);
}

/** How far the capacity probe may move between the run's start and end (0.25: 1.25× either way). */
export const DEFAULT_PROBE_CHANGE = 0.25;
/** `run --contamination-probe-change` and `ab --contamination-probe-change` set it. */
export const PROBE_CHANGE_ENV = "PATRONUS_BENCH_CONTAMINATION_PROBE_CHANGE";

export function probeChangeLimit(env: NodeJS.ProcessEnv = process.env): number {
  return positiveFromEnv(env, PROBE_CHANGE_ENV, DEFAULT_PROBE_CHANGE);
}

/** The CLI validated the flag; anything else in the variable (set by hand) falls back to the default. */
function positiveFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? Number.NaN);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The capacity probe's figures as results.json records them (gauges, seconds and end/start). */
export const PROBE_START = 'capacity_probe_seconds{at="start"}';
export const PROBE_END = 'capacity_probe_seconds{at="end"}';
export const PROBE_RATIO = "capacity_probe_ratio";

/**
 * Why the probe says the machine changed under the run, or undefined when it held within
 * `limit` (a share: 0.25 lets the end take 1.25× the start, or the start 1.25× the end).
 */
export function judgeProbe(startSeconds: number, endSeconds: number, limit: number): string | undefined {
  if (!(startSeconds > 0 && endSeconds > 0)) return undefined;
  const slower = Math.max(startSeconds, endSeconds) / Math.min(startSeconds, endSeconds);
  if (slower <= 1 + limit) return undefined;
  const [longer, shorter] = endSeconds > startSeconds ? ["end", "start"] : ["start", "end"];
  return (
    `contaminated: the capacity probe took ${slower.toFixed(1)}× longer at the ${longer} than at the ${shorter}` +
    ` (${seconds(startSeconds)} at the start, ${seconds(endSeconds)} at the end; more than ${Math.round(limit * 100)} % apart)`
  );
}

function seconds(s: number): string {
  return `${s < 1 ? s.toFixed(3) : s.toFixed(2)} s`;
}

function gaugeValue(metrics: MetricMap, name: string): number | undefined {
  const m = metrics[name];
  return m?.type === "gauge" ? m.value : undefined;
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
  probeChange: number = probeChangeLimit(),
): Contamination | undefined {
  const unmeasured = meanOfSeries(metrics, "unmeasured_cpu_cores");
  const stealMetric = metrics.cpu_steal_seconds;
  const steal =
    stealMetric?.type === "gauge" && durationSeconds > 0 ? stealMetric.value / durationSeconds : undefined;
  const probeStart = gaugeValue(metrics, PROBE_START);
  const probeEnd = gaugeValue(metrics, PROBE_END);
  const probed = probeStart !== undefined && probeEnd !== undefined;
  if (unmeasured === undefined && steal === undefined && !probed) return undefined;
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
  const moved = probed ? judgeProbe(probeStart, probeEnd, probeChange) : undefined;
  if (moved) reasons.push(moved);
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

/**
 * Evaluates parsed thresholds against a run's metrics, following k6's meaning of each aggregation
 * per metric type: a counter's `count` is its value and `rate` its value per second of run; a
 * series aggregates over its points (`value` is the last one); a gauge has only `value`.
 */
import { Distribution } from "../../measure/metrics/distribution.ts";
import type { Metric, MetricMap } from "../../measure/metrics/types.ts";
import { type Aggregation, compare, parseThreshold } from "./parse.ts";

export interface ThresholdSpec {
  metric: string;
  expression: string;
  abortOnFail: boolean;
}

export interface ThresholdResult {
  metric: string;
  expression: string;
  /** The aggregated value compared; null when the metric was never recorded. */
  value: number | null;
  passed: boolean;
  abortOnFail: boolean;
  /** Why it failed when there is no value to show (missing metric, unsupported aggregation). */
  reason?: string;
}

export function evaluateThreshold(
  spec: ThresholdSpec,
  metrics: MetricMap,
  runSeconds: number,
): ThresholdResult {
  const expr = parseThreshold(spec.expression);
  const metric = metrics[spec.metric];
  const base = { metric: spec.metric, expression: expr.source, abortOnFail: spec.abortOnFail };
  if (!metric) return { ...base, value: null, passed: false, reason: "metric was not recorded" };
  const value = aggregate(metric, expr.aggregation, runSeconds);
  if (value === undefined) {
    return {
      ...base,
      value: null,
      passed: false,
      reason: `${describe(expr.aggregation)} does not apply to a ${metric.type}`,
    };
  }
  return { ...base, value: round(value), passed: compare(value, expr.operator, expr.bound) };
}

export function evaluateThresholds(
  specs: readonly ThresholdSpec[],
  metrics: MetricMap,
  runSeconds: number,
): ThresholdResult[] {
  return specs.map((s) => evaluateThreshold(s, metrics, runSeconds));
}

function aggregate(metric: Metric, agg: Aggregation, runSeconds: number): number | undefined {
  switch (metric.type) {
    case "distribution":
      switch (agg.kind) {
        case "percentile":
          return Distribution.decode(metric).percentile(agg.p);
        case "avg":
          return metric.mean;
        case "med":
          return metric.p50;
        case "min":
          return metric.min;
        case "max":
          return metric.max;
        case "count":
          return metric.count;
        case "rate":
          return runSeconds > 0 ? metric.count / runSeconds : 0;
        case "value":
          return undefined;
      }
      return undefined;
    case "counter":
      if (agg.kind === "count" || agg.kind === "value") return metric.value;
      if (agg.kind === "rate") return runSeconds > 0 ? metric.value / runSeconds : 0;
      return undefined;
    case "gauge":
      return agg.kind === "value" || agg.kind === "max" || agg.kind === "min" ? metric.value : undefined;
    case "series":
      return aggregateValues(
        metric.points.map((p) => p[1]),
        agg,
      );
  }
}

function aggregateValues(values: number[], agg: Aggregation): number | undefined {
  if (agg.kind === "count") return values.length;
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const pick = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? sorted[0];
  switch (agg.kind) {
    case "percentile":
      return pick(Math.max(agg.p, 0.0001));
    case "avg":
      return values.reduce((s, v) => s + v, 0) / values.length;
    case "med":
      return pick(50);
    case "min":
      return sorted[0];
    case "max":
      return sorted.at(-1);
    case "value":
      return values.at(-1);
    case "rate":
      return undefined;
  }
}

function describe(agg: Aggregation): string {
  return agg.kind === "percentile" ? `p(${agg.p})` : agg.kind;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

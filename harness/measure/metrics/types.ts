/** Metric shapes as results.json stores them; the results schema (harness/results) is the source. */
import type { Metric } from "../../results/schema.ts";

export type {
  CounterMetric,
  DistributionMetric,
  GaugeMetric,
  Metric,
  SeriesMetric,
} from "../../results/schema.ts";
export type MetricMap = Record<string, Metric>;

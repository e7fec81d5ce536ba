/**
 * Metric shapes as results.json stores them (schemaVersion 1, see the team brief). Kept here as
 * plain types so measurements and threshold evaluation do not depend on the results writer.
 */
export interface DistributionMetric {
  type: "distribution";
  unit: string;
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  /** Compressed base64 HdrHistogram; values recorded in `unit` × HISTOGRAM_SCALE (integers). */
  histogram: string;
}

export interface SeriesMetric {
  type: "series";
  unit: string;
  /** [seconds since run start, value] */
  points: Array<[number, number]>;
}

export interface CounterMetric {
  type: "counter";
  unit: string;
  value: number;
}

export interface GaugeMetric {
  type: "gauge";
  unit: string;
  value: number;
}

export type Metric = DistributionMetric | SeriesMetric | CounterMetric | GaugeMetric;
export type MetricMap = Record<string, Metric>;

/**
 * What compare compares per metric: one number per repeat (a percentile of a distribution, the
 * mean or peak of a series, a counter's value), and for single runs the raw samples behind a
 * distribution percentile.
 */
import { type Bucket, histogramBuckets, valueAtPercentile } from "../../results/histogram.ts";
import type { DistributionMetric, Metric } from "../../results/schema.ts";
import { normalQuantile } from "./distributions.ts";

export type Stat = "p50" | "p90" | "p95" | "p99" | "mean" | "max" | "value";

/** The statistics compared for a metric of this shape. */
export function statsFor(name: string, metric: Metric, distributionStats: readonly Stat[]): Stat[] {
  switch (metric.type) {
    case "distribution":
      return [...distributionStats];
    case "series":
      // Memory and sizes: the peak matters; rates and CPU: the average.
      return [/_bytes$|_depth$/.test(name) ? "max" : "mean"];
    case "counter":
    case "gauge":
      return ["value"];
  }
}

export function statValue(metric: Metric, stat: Stat): number | undefined {
  switch (metric.type) {
    case "distribution":
      return stat === "value" ? undefined : metric[stat];
    case "series": {
      const values = metric.points.map((p) => p[1]);
      if (values.length === 0) return undefined;
      if (stat === "max") return Math.max(...values);
      if (stat === "mean") return values.reduce((s, v) => s + v, 0) / values.length;
      return undefined;
    }
    case "counter":
    case "gauge":
      return stat === "value" ? metric.value : undefined;
  }
}

export function percentileOf(stat: Stat): number | undefined {
  const m = /^p(\d+)$/.exec(stat);
  return m ? Number(m[1]) : undefined;
}

export function rawSamples(metric: DistributionMetric, context: string): Bucket[] {
  return histogramBuckets(metric, context);
}

/**
 * Distribution-free confidence interval of a percentile from order statistics (binomial normal
 * approximation on the ranks), read from the histogram.
 */
export function percentileInterval(
  metric: DistributionMetric,
  percentile: number,
  confidence: number,
): [number, number] {
  const n = metric.count;
  const q = percentile / 100;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const spread = z * Math.sqrt(n * q * (1 - q));
  const lo = Math.max(0, Math.floor(n * q - spread));
  const hi = Math.min(n, Math.ceil(n * q + spread) + 1);
  return [valueAtPercentile(metric, (100 * lo) / n), valueAtPercentile(metric, (100 * hi) / n)];
}

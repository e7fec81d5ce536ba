/** Latency charts: percentiles over time (quantile series) and the CDF from the histograms. */
import { histogramBuckets } from "../../results/histogram.ts";
import { baseMetricName, metricLabels } from "../../results/metric-catalog.ts";
import type { DistributionMetric, Results } from "../../results/schema.ts";
import { type ChartData, type ChartRow, missing, thin } from "./types.ts";

const QUANTILE_LABELS: Record<string, string> = { "0.5": "p50", "0.9": "p90", "0.95": "p95", "0.99": "p99" };

export function latencyPercentilesData(results: Results): ChartData {
  const rows: ChartRow[] = [];
  for (const [name, metric] of Object.entries(results.metrics)) {
    const q = metricLabels(name).quantile;
    const label = q === undefined ? undefined : QUANTILE_LABELS[q];
    if (metric.type !== "series" || !label) continue;
    for (const [t, value] of thin(metric.points))
      rows.push({ metric: baseMetricName(name), quantile: label, t, value });
  }
  if (rows.length === 0) {
    return missing('no latency percentile series (metrics named like site_ready_latency{quantile="0.99"})');
  }
  return { rows };
}

/** At most this many points per CDF line: enough for a smooth step curve, small SVGs. */
const MAX_CDF_POINTS = 200;

/** Labelled distributions (apiserver latency per resource and verb) can be dozens; the busiest few are drawn. */
const MAX_LABELLED_CDFS = 6;

export function latencyCdfData(results: Results): ChartData {
  const rows: ChartRow[] = [];
  const latencies = Object.entries(results.metrics).filter(
    (e): e is [string, DistributionMetric] =>
      e[1].type === "distribution" && e[1].unit === "ms" && e[1].count > 0,
  );
  const labelled = latencies
    .filter(([name]) => name.includes("{"))
    .sort((a, b) => b[1].count - a[1].count)
    .slice(0, MAX_LABELLED_CDFS);
  for (const [name, metric] of [...latencies.filter(([name]) => !name.includes("{")), ...labelled]) {
    const buckets = histogramBuckets(metric, `metrics.${name}`);
    const total = buckets.reduce((s, b) => s + b.count, 0);
    const every = Math.max(1, Math.ceil(buckets.length / MAX_CDF_POINTS));
    let cumulative = 0;
    buckets.forEach((b, i) => {
      cumulative += b.count;
      if (i % every === 0 || i === buckets.length - 1) {
        // log scale: a 0 ms sample is drawn at 1 µs rather than dropped.
        rows.push({ metric: name, value: Math.max(b.value, 0.001), percentile: (100 * cumulative) / total });
      }
    });
  }
  return rows.length > 0 ? { rows } : missing("no latency distributions (unit ms) recorded");
}

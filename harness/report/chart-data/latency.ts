/** Latency charts: percentiles over time (quantile series) and the CDF from the histograms. */
import { histogramBuckets } from "../../results/histogram.ts";
import { baseMetricName, metricLabels } from "../../results/metric-catalog.ts";
import type { DistributionMetric, Results } from "../../results/schema.ts";
import {
  type ChartData,
  type ChartRow,
  type LatencyHistogram,
  missing,
  type SeriesSource,
  thin,
} from "./types.ts";

const QUANTILE_LABELS: Record<string, string> = { "0.5": "p50", "0.9": "p90", "0.95": "p95", "0.99": "p99" };

export function latencyPercentilesData(results: SeriesSource): ChartData {
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

/** The CDF of the run's latency distributions, from their stored histograms. */
export function latencyCdfData(results: Pick<Results, "metrics">): ChartData {
  return latencyCdfRows(
    Object.entries(results.metrics)
      .filter((e): e is [string, DistributionMetric] => e[1].type === "distribution")
      .map(([name, metric]) => ({
        name,
        unit: metric.unit,
        count: metric.count,
        buckets: () => histogramBuckets(metric, `metrics.${name}`),
      })),
  );
}

/** The CDF rows of the latencies (unit ms) among `distributions`: the scenario's own, then the busiest labelled ones. */
export function latencyCdfRows(distributions: readonly LatencyHistogram[]): ChartData {
  const rows: ChartRow[] = [];
  const latencies = distributions.filter((d) => d.unit === "ms" && d.count > 0);
  // Long-running requests (WATCH, CONNECT) last as long as the client keeps them open: not latency.
  const labelled = latencies
    .filter((d) => d.name.includes("{") && !/^(WATCH|CONNECT)$/.test(metricLabels(d.name).verb ?? ""))
    .sort((a, b) => b.count - a.count)
    .slice(0, MAX_LABELLED_CDFS);
  // The scenario's own latencies first, then the busiest apiserver ones (`order` sorts the panels).
  const drawn = [...latencies.filter((d) => !d.name.includes("{")), ...labelled];
  for (const [order, distribution] of drawn.entries()) {
    const buckets = distribution.buckets();
    const total = buckets.reduce((s, b) => s + b.count, 0);
    const every = Math.max(1, Math.ceil(buckets.length / MAX_CDF_POINTS));
    // log scale: a 0 ms sample is drawn at 1 µs rather than dropped.
    const point = (value: number, cumulative: number): ChartRow => ({
      metric: shortName(distribution.name),
      order,
      value: Math.max(value, 0.001),
      percentile: (100 * cumulative) / total,
    });
    // The curve rises from 0 at the smallest sample (a single-valued metric is then a visible step).
    if (buckets[0]) rows.push(point(buckets[0].value, 0));
    let cumulative = 0;
    buckets.forEach((b, i) => {
      cumulative += b.count;
      if (i % every === 0 || i === buckets.length - 1) rows.push(point(b.value, cumulative));
    });
  }
  return rows.length > 0 ? { rows } : missing("no latency distributions (unit ms) recorded");
}

/** `apiserver_request_latency{resource="sites",verb="POST"}` → `apiserver sites POST` (panel titles are narrow). */
export function shortName(name: string): string {
  const labels = Object.values(metricLabels(name));
  if (labels.length === 0) return name;
  return `${baseMetricName(name).replace(/_(request_)?latency$/, "")} ${labels.join(" ")}`;
}

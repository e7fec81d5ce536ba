/**
 * What the HTML and Markdown outputs both show: key figures per metric (formatted in readable
 * units), the cost-curve slopes, and what the run did not record.
 */
import { metricTitle } from "../../results/metric-catalog.ts";
import type { Metric, Results } from "../../results/schema.ts";
import { costSlopes } from "../chart-data/cost-curve.ts";
import { judgeTrend, RSS_GROWTH_RULE } from "../chart-data/trend.ts";

export interface KeyFigure {
  metric: string;
  title: string;
  type: Metric["type"];
  /** Column → formatted value; distributions have count/p50/p90/p99/max, the rest a value. */
  values: Record<string, string>;
}

export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (unit === "bytes") return `${(value / (1024 * 1024)).toFixed(1)} MiB`;
  if (unit === "ms") return value >= 10_000 ? `${(value / 1000).toFixed(2)} s` : `${trim(value)} ms`;
  if (unit === "count" || unit === "objects" || unit === "items") return trim(value);
  if (unit === "1/s") return `${trim(value)}/s`;
  return `${trim(value)} ${unit}`;
}

function trim(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100
    ? value.toFixed(0)
    : Math.abs(value) >= 1
      ? value.toFixed(2)
      : value.toFixed(3);
}

export function keyFigures(results: Results): KeyFigure[] {
  return Object.entries(results.metrics)
    .filter(([name]) => !name.includes("quantile="))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([metric, m]) => ({
      metric,
      title: metricTitle(metric),
      type: m.type,
      values:
        metric === "operator_rss_slope_bytes_per_hour"
          ? { value: rssGrowthText(results) ?? "—" }
          : figureValues(m),
    }));
}

function figureValues(m: Metric): Record<string, string> {
  switch (m.type) {
    case "distribution":
      return {
        count: String(m.count),
        p50: formatValue(m.p50, m.unit),
        p90: formatValue(m.p90, m.unit),
        p99: formatValue(m.p99, m.unit),
        max: formatValue(m.max, m.unit),
      };
    case "series": {
      const values = m.points.map((p) => p[1]);
      const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
      return {
        count: String(values.length),
        mean: formatValue(values.length ? mean : null, m.unit),
        max: formatValue(values.length ? Math.max(...values) : null, m.unit),
        last: formatValue(values.at(-1), m.unit),
      };
    }
    case "counter":
    case "gauge":
      return { value: formatValue(m.value, m.unit) };
  }
}

/** The cost-curve slopes, each with its fit's R², or why no slope is given (chart-data/trend.ts). */
export function costSlopeLines(results: Results): string[] {
  return costSlopes(results.checkpoints).map((s) =>
    s.trend.meaningful
      ? `${s.label}: ${s.per1000.toFixed(s.unit === "MiB" ? 1 : 3)} ${s.unit} per 1000 objects (least squares, ${s.fit.n} checkpoints, R² ${s.fit.r2.toFixed(2)})`
      : `${s.label} per 1000 objects: ${s.trend.reason}`,
  );
}

/**
 * The operator's RSS growth per hour, judged from its RSS series (the run records the fitted
 * rate whatever the run's length; the report gives it only with the signal to carry it).
 */
export function rssGrowthText(results: Results): string | undefined {
  const rate = results.metrics.operator_rss_slope_bytes_per_hour;
  const rss = results.metrics.operator_rss_bytes;
  if (rate?.type !== "gauge") return undefined;
  const points = rss?.type === "series" ? rss.points : [];
  const trend = judgeTrend(points, RSS_GROWTH_RULE);
  return trend.meaningful
    ? `${formatValue(trend.fit.slope * 3600, "bytes")}/h (R² ${trend.fit.r2.toFixed(2)} over ${trend.fit.n} samples)`
    : `not shown — ${trend.reason}`;
}

export interface MissingSummary {
  /** Thresholds evaluated on a metric the run never recorded. */
  thresholdMetrics: string[];
}

export function missingSummary(results: Results): MissingSummary {
  return { thresholdMetrics: results.thresholds.filter((t) => t.value === null).map((t) => t.metric) };
}

export function isSynthetic(results: Results): boolean {
  return results.run.definition.synthetic === true;
}

export function coverageLine(results: Results): string {
  const { expected, observed } = results.coverage;
  const pct = expected === 0 ? 100 : (100 * observed) / expected;
  return `${observed} / ${expected} objects accounted for (${pct.toFixed(1)} %)`;
}

/** A threshold's observed value in its metric's unit (raw when the metric has no unit to go by). */
export function formatObserved(results: Results, metric: string, value: number | null): string {
  if (value === null) return "not recorded";
  const unit = results.metrics[metric]?.unit;
  return unit ? formatValue(value, unit) : String(value);
}

/** The operator under test as titles name it: its name, and the source digest it was built from. */
export function operatorTitle(operator: Results["run"]["operator"]): string {
  return operator.source ? `${operator.name} (source ${operator.source.digest.slice(0, 12)})` : operator.name;
}

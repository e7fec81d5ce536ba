/**
 * A threshold names a metric the run will record, or it can only fail after the whole run as
 * "not recorded". So every threshold's metric is checked when the scenario loads: its base name
 * is in the metric catalog (or is one the operator under test declares), its labels are ones the
 * catalog gives that metric, a `quantile` is one the percentile series are recorded at, and a
 * `phase` names a phase of the scenario.
 */
import { METRIC_CATALOG, SERIES_QUANTILES } from "../../results/metric-catalog.ts";
import { closest } from "../nearest-name.ts";

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"$/;

export interface MetricNameContext {
  /** Metric names outside the catalog that the run records, e.g. the operator under test's. */
  extraMetrics?: readonly string[];
  /** The scenario's phase names, which a `phase` label must be one of. */
  phases?: readonly string[];
}

/** Why `metric` cannot be recorded by the run, or undefined when it can. */
export function unknownMetricReason(metric: string, context: MetricNameContext = {}): string | undefined {
  const brace = metric.indexOf("{");
  const base = brace === -1 ? metric : metric.slice(0, brace);
  const extra = context.extraMetrics ?? [];
  const entry = METRIC_CATALOG[base];
  if (!entry && !extra.includes(base)) {
    if (!NAME.test(base)) return `"${base}" is not a metric name (letters, digits and _ only)`;
    const near = closest(base, [...Object.keys(METRIC_CATALOG), ...extra]);
    return `no metric named "${base}"${near ? ` (did you mean "${near}"?)` : ""}`;
  }
  if (brace === -1) return undefined;
  if (!metric.endsWith("}")) return `labels must be written {name="value",…}, closed by "}"`;
  const body = metric.slice(brace + 1, -1);
  // Operator-declared metrics carry whatever labels the operator gives them.
  const allowed = entry ? (entry.labels ?? []) : undefined;
  const labelText = body === "" ? [] : body.split(",");
  for (const text of labelText) {
    const m = LABEL.exec(text.trim());
    if (!m) return `label ${text} must be written name="value"`;
    const [, label = "", value = ""] = m;
    if (allowed && !allowed.includes(label)) {
      return allowed.length === 0
        ? `${base} has no labels`
        : `${base} has no label "${label}" (its labels: ${allowed.join(", ")})`;
    }
    if (label === "quantile" && !SERIES_QUANTILES.some((q) => String(q) === value)) {
      return `quantile "${value}" is not recorded (percentile series exist for ${SERIES_QUANTILES.join(", ")}; for another percentile use the metric itself with p(N))`;
    }
    if (label === "phase" && context.phases && !context.phases.includes(value)) {
      return `the scenario has no phase "${value}" (its phases: ${context.phases.join(", ")})`;
    }
  }
  return undefined;
}

/** The metric names an operator definition declares (definition.ts `metrics`), for extraMetrics. */
export function declaredMetricNames(metrics: Record<string, unknown> | undefined): string[] {
  if (!metrics) return [];
  return Object.values(metrics).flatMap((v) =>
    typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x) => typeof x === "string") : [],
  );
}

/**
 * A panel's words from the metric catalog (harness/results/metric-catalog.ts): a panel of one
 * metric takes its title, description and unit from there, and a panel of several names each
 * series by its metric's title, so renaming or re-describing a metric in the catalog changes the
 * dashboards (`npm run dashboards:generate`) and docs/outputs.md (`npm run docs:generate`). A name
 * the catalog does not hold fails the generation: a dashboard cannot read a metric nobody sends.
 */
import { METRIC_CATALOG } from "../../results/metric-catalog.ts";

/** The catalog's units as Grafana's unit ids; any other is a plain number. */
const GRAFANA_UNITS: Readonly<Record<string, string>> = {
  ms: "ms",
  s: "s",
  bytes: "bytes",
  ratio: "percentunit",
  "ops/s": "ops",
  "1/s": "reqps",
};

export interface MetricText {
  title: string;
  /** For a dashboard reader: the catalog's description without its results.json type prefix. */
  description: string;
  /** A Grafana unit id. */
  unit: string;
}

export function metricText(name: string): MetricText {
  const info = METRIC_CATALOG[name];
  if (!info) throw new Error(`dashboard panel: ${name} is not in the metric catalog`);
  return { title: info.title, description: readerText(info.description), unit: grafanaUnit(info.unit) };
}

export function grafanaUnit(catalogUnit: string): string {
  return GRAFANA_UNITS[catalogUnit] ?? "short";
}

/** The one Grafana unit of several metrics drawn on one axis; differing units fail the generation. */
export function sharedUnit(names: readonly string[]): string {
  const units = new Set(names.map((n) => metricText(n).unit));
  if (units.size !== 1) throw new Error(`dashboard panel: ${names.join(", ")} differ in unit`);
  return [...units][0]!;
}

/** `Series: items waiting…` → `Items waiting…` (the prefix tells results.json readers its type). */
function readerText(description: string): string {
  const text = description.replace(/^Series: /, "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The operator under test's own metrics, from the names its definition declares (`metrics`):
 * controller-runtime's for the reference operator, the upstream operator's own for patronus-rs,
 * whatever a user's definition names for theirs. The data is the operator's /metrics as the run
 * scraped them, forwarded by the prometheus-rw sink with `run_id` and `replica` labels.
 *
 * A labelled counter or gauge has no series until it is first touched (no reconcile error yet, no
 * retry), so those queries fall back to 0 for every replica that answered (`up`): "none", not "no
 * data". A declared name's type is read from its suffix as Prometheus' naming conventions give it:
 * `_total` a counter, `_seconds`/`_bytes` with duration, latency or time in the name a histogram,
 * anything else a gauge.
 */
import { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import type { OperatorDefinition } from "../../operators/definition.ts";
import { type Dashboard, datasourceVariable, labelVariable, type PanelSpec, toPanel } from "./panels.ts";

const SEL = 'run_id=~"$run_id",replica=~"$replica"';
const NONE = `sum by (replica) (0 * up{${SEL}})`;

export type MetricShape = "counter" | "histogram" | "gauge";

export function metricShape(name: string): MetricShape {
  if (name.endsWith("_total")) return "counter";
  if (/(duration|latency|time)_(seconds|bytes)$/.test(name)) return "histogram";
  return "gauge";
}

function counter(name: string, title: string, description: string): PanelSpec {
  return {
    kind: "timeseries",
    title,
    description: `${description} (${name}, per second)`,
    unit: "reqps",
    queries: [
      {
        expr: `sum by (replica) (rate(${name}{${SEL}}[$__rate_interval])) or ${NONE}`,
        legend: "{{replica}}",
      },
    ],
  };
}

function gauge(name: string, title: string, description: string): PanelSpec {
  return {
    kind: "timeseries",
    title,
    description: `${description} (${name})`,
    unit: "short",
    queries: [{ expr: `sum by (replica) (${name}{${SEL}}) or ${NONE}`, legend: "{{replica}}" }],
  };
}

function histogram(name: string, title: string, description: string): PanelSpec {
  const q = (quantile: number) =>
    `histogram_quantile(${quantile}, sum by (le, replica) (rate(${name}_bucket{${SEL}}[$__rate_interval])))`;
  return {
    kind: "timeseries",
    title,
    description: `${description} (${name}, p50 and p99 from its buckets)`,
    unit: name.endsWith("_bytes") ? "bytes" : "s",
    queries: [
      { expr: q(0.5), legend: "p50 {{replica}}" },
      { expr: q(0.99), legend: "p99 {{replica}}" },
    ],
  };
}

function byShape(name: string): PanelSpec {
  const shape = metricShape(name);
  const description = "Declared by the operator's definition.";
  if (shape === "counter") return counter(name, name, description);
  if (shape === "histogram") return histogram(name, name, description);
  return gauge(name, name, description);
}

export function operatorPanels(metrics: OperatorDefinition["metrics"]): PanelSpec[] {
  const panels: PanelSpec[] = [];
  if (metrics.reconcileTotal)
    panels.push(counter(metrics.reconcileTotal, "Reconciles", "Reconciles per second, per replica."));
  if (metrics.reconcileErrors)
    panels.push(counter(metrics.reconcileErrors, "Reconcile errors", "Reconciles that returned an error."));
  if (metrics.reconcileDuration)
    panels.push(histogram(metrics.reconcileDuration, "Reconcile duration", "Time per reconcile."));
  if (metrics.queueDepth)
    panels.push(gauge(metrics.queueDepth, "Workqueue depth", "Items waiting in its workqueues."));
  if (metrics.leader)
    panels.push(gauge(metrics.leader, "Leader", "1 on the replica holding the Lease, 0 on standbys."));
  panels.push(...metrics.others.map(byShape));
  return panels;
}

export function operatorDashboard(
  definition: Pick<OperatorDefinition, "name" | "description" | "metrics">,
): Dashboard {
  const runs = `up{operator="${definition.name}"}`;
  const d = new DashboardBuilder(`patronus-bench: operator ${definition.name}`)
    .uid(`patronus-bench-operator-${definition.name}`.slice(0, 40))
    .description(`The own /metrics of ${definition.description}, as benchmark runs scraped them.`)
    .tags(["patronus-bench", definition.name])
    .time({ from: "now-1h", to: "now" })
    .refresh("10s")
    .withVariable(datasourceVariable())
    .withVariable(labelVariable("run_id", "run_id", runs, { title: "run" }))
    .withVariable(
      labelVariable("replica", "replica", `${runs.slice(0, -1)},run_id=~"$run_id"}`, { multi: true }),
    );
  for (const p of operatorPanels(definition.metrics)) d.withPanel(toPanel(p));
  return d.build();
}

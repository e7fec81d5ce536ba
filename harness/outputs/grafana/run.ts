/**
 * One run, chosen by its run id: its latencies window by window, the load's and the operator's
 * rates, the workqueue, CPU and RSS of every process, objects, the figures its thresholds judge,
 * and the run's phases and faults as annotations. A panel of one metric takes its title, words and
 * unit from the metric catalog (catalog-text.ts).
 */
import { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { METRIC_CATALOG } from "../../results/metric-catalog.ts";
import { metricText, sharedUnit } from "./catalog-text.ts";
import {
  annotation,
  type Dashboard,
  datasourceVariable,
  labelVariable,
  type PanelSpec,
  toPanel,
} from "./panels.ts";

const RUN = 'run_id="$run_id"';

/** The event kinds shown as faults: injected faults, their clearing, replicas killed or restarted. */
export const FAULT_EVENTS = "fault\\\\..*|operator\\\\.(crashed|restart|restarted)|component\\\\.restart";

/** A latency window by window, and its run-wide p99 so far. */
function windowed(metric: string): PanelSpec {
  const { title, description, unit } = metricText(metric);
  return {
    kind: "timeseries",
    title,
    description: `${description} Percentiles per window (p50, p90, p99) and the run's cumulative p99.`,
    unit,
    queries: [
      { expr: `patronus_bench_${metric}_window{${RUN},phase=""}`, legend: "p{{quantile}} per window" },
      { expr: `patronus_bench_${metric}{${RUN},phase="",quantile="0.99"}`, legend: "p99 so far" },
    ],
  };
}

/**
 * A latency's histogram buckets as a heatmap: how many observations fell in each bucket per
 * interval, and its p99 per interval from the same buckets (histogram_quantile).
 */
function heatmap(metric: string): PanelSpec {
  const { title, description, unit } = metricText(metric);
  const increase = `sum by (le) (increase(patronus_bench_${metric}_bucket{${RUN},phase=""}[$__rate_interval]))`;
  return {
    kind: "heatmap",
    title: `${title}: distribution`,
    description: `${description} Observations per bucket per interval (buckets √2 apart, from 1 ms).`,
    unit,
    queries: [{ expr: increase, legend: "{{le}}", heatmap: true }],
  };
}

/** A latency's p99 per interval from its buckets: what happened then, not since the start. */
function intervalP99(metric: string): PanelSpec {
  const { title, description, unit } = metricText(metric);
  return {
    kind: "timeseries",
    title: `${title}: p99 per interval`,
    description: `${description} The p99 of each interval's observations, from the histogram buckets (within one bucket, √2 apart, of the exact figure), beside the run's cumulative p99.`,
    unit,
    queries: [
      {
        expr: `histogram_quantile(0.99, sum by (le) (increase(patronus_bench_${metric}_bucket{${RUN},phase=""}[$__rate_interval])))`,
        legend: "p99 per interval (buckets)",
      },
      { expr: `patronus_bench_${metric}{${RUN},phase="",quantile="0.99"}`, legend: "p99 so far" },
    ],
  };
}

/** `Operations started…` → `operations started…`; `CPU of…` stays. */
function inSentence(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** Several metrics of one unit on one axis, each named by its catalog title. */
function together(title: string, metrics: readonly string[]): PanelSpec {
  return {
    kind: "timeseries",
    title,
    description: metrics
      .map((m) => {
        const t = metricText(m);
        return `${t.title}: ${inSentence(t.description)}`;
      })
      .join(" "),
    unit: sharedUnit(metrics),
    queries: metrics.map((m) => ({ expr: `patronus_bench_${m}{${RUN}}`, legend: metricText(m).title })),
  };
}

function over(metric: string): PanelSpec {
  const { title, description, unit } = metricText(metric);
  return {
    kind: "timeseries",
    title,
    description,
    unit,
    queries: [{ expr: `patronus_bench_${metric}{${RUN}}`, legend: title }],
  };
}

/** The processes whose CPU and RSS a run measures, as their metric names begin. */
const PROCESSES = ["operator", "mesh", "apiserver", "etcd", "controller_manager", "harness"] as const;

/**
 * CPU or RSS of each process the run measures, named by the metric's process part. The panel's
 * own words: it gathers a metric per process, none of which says what the panel shows.
 */
function perProcess(suffix: "cpu_cores" | "rss_bytes", title: string, description: string): PanelSpec {
  const catalogued = PROCESSES.map((p) => `${p}_${suffix}`).filter((m) => m in METRIC_CATALOG);
  return {
    kind: "timeseries",
    title,
    description,
    unit: sharedUnit(catalogued),
    queries: [
      {
        expr: `label_replace({__name__=~"patronus_bench_(${PROCESSES.join("|")})_${suffix}",${RUN}}, "process", "$1", "__name__", "patronus_bench_(.+)_${suffix}")`,
        legend: "{{process}}",
      },
    ],
  };
}

/** A figure at the end of the run. */
function final(metric: string): PanelSpec {
  const { title, description, unit } = metricText(metric);
  return {
    kind: "stat",
    title,
    description,
    unit,
    width: 6,
    queries: [{ expr: `max(patronus_bench_${metric}{${RUN}})`, instant: true }],
  };
}

/** Read from the catalog each time, so a dashboard is generated from the catalog as it is. */
export function runPanels(): PanelSpec[] {
  return [
    final("lost_updates"),
    final("coverage_ratio"),
    final("dropped_iterations"),
    final("reconcile_errors"),
    {
      kind: "table",
      title: "Thresholds and verdict",
      description: "Each threshold's result at the end of the run (1 pass, 0 fail) and the verdict.",
      unit: "short",
      width: 24,
      queries: [
        {
          expr: `max by (metric, expression) (last_over_time(patronus_bench_threshold{${RUN}}[$__range]))`,
          instant: true,
        },
        {
          expr: `max by (verdict) (last_over_time(patronus_bench_verdict{${RUN}}[$__range]))`,
          instant: true,
        },
      ],
    },
    windowed("site_ready_latency"),
    heatmap("site_ready_latency"),
    intervalP99("site_ready_latency"),
    windowed("update_observed_latency"),
    windowed("delete_latency"),
    windowed("load_request_latency"),
    together("Load rate", ["target_rate", "achieved_rate"]),
    together("Operator and Patronus API rates", ["reconcile_rate", "patronus_request_rate"]),
    over("workqueue_depth"),
    together("Objects", ["object_count", "sites_ready_total", "paths_reporting", "paths_expected"]),
    perProcess(
      "cpu_cores",
      "CPU per process",
      "CPU of each process the run measures, in cores (operator: all replicas; mesh: all shards).",
    ),
    perProcess("rss_bytes", "RSS per process", "Resident memory of each process the run measures."),
  ];
}

export function runDashboard(): Dashboard {
  const d = new DashboardBuilder("patronus-bench: one run")
    .uid("patronus-bench-run")
    .description(
      "One benchmark run: latencies, rates, workqueue, CPU and RSS per process, phases and faults.",
    )
    .tags(["patronus-bench"])
    .time({ from: "now-1h", to: "now" })
    .refresh("10s")
    .withVariable(datasourceVariable())
    .withVariable(labelVariable("scenario", "scenario", "patronus_bench_harness_cpu_cores", { multi: true }))
    .withVariable(
      labelVariable("run_id", "run_id", 'patronus_bench_harness_cpu_cores{scenario=~"$scenario"}', {
        title: "run",
      }),
    )
    .annotation(
      annotation("Phases", `patronus_bench_event{${RUN},kind="phase.start"}`, "phase {{name}}", "blue"),
    )
    .annotation(
      annotation("Faults", `patronus_bench_event{${RUN},kind=~"${FAULT_EVENTS}"}`, "{{kind}}", "red"),
    );
  for (const p of runPanels()) d.withPanel(toPanel(p));
  return d.build();
}

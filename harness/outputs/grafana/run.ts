/**
 * One run, chosen by its run id: its latencies window by window, the load's and the operator's
 * rates, the workqueue, CPU and RSS of every process, objects, the figures its thresholds judge,
 * and the run's phases and faults as annotations.
 */
import { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
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

function windowed(metric: string, title: string, description: string): PanelSpec {
  return {
    kind: "timeseries",
    title,
    description: `${description} Percentiles per window (p50, p90, p99) and the run's cumulative p99.`,
    unit: "ms",
    queries: [
      { expr: `patronus_bench_${metric}_window{${RUN},phase=""}`, legend: "p{{quantile}} per window" },
      { expr: `patronus_bench_${metric}{${RUN},phase="",quantile="0.99"}`, legend: "p99 so far" },
    ],
  };
}

/** CPU or RSS of each process the run measures, named by the metric's process part. */
function perProcess(
  suffix: "cpu_cores" | "rss_bytes",
  title: string,
  unit: string,
  description: string,
): PanelSpec {
  return {
    kind: "timeseries",
    title,
    description,
    unit,
    queries: [
      {
        expr: `label_replace({__name__=~"patronus_bench_(operator|mesh|apiserver|etcd|controller_manager|harness)_${suffix}",${RUN}}, "process", "$1", "__name__", "patronus_bench_(.+)_${suffix}")`,
        legend: "{{process}}",
      },
    ],
  };
}

function final(metric: string, title: string, unit: string, description: string): PanelSpec {
  return {
    kind: "stat",
    title,
    description,
    unit,
    width: 6,
    queries: [{ expr: `max(patronus_bench_${metric}{${RUN}})`, instant: true }],
  };
}

export const RUN_PANELS: readonly PanelSpec[] = [
  final(
    "lost_updates",
    "Lost updates",
    "short",
    "Objects whose final state the operator did not carry through.",
  ),
  final(
    "coverage_ratio",
    "Coverage",
    "percentunit",
    "Share of the run's requests whose outcome it observed.",
  ),
  final(
    "dropped_iterations",
    "Dropped iterations",
    "short",
    "Load iterations the executor could not start in time.",
  ),
  final(
    "reconcile_errors",
    "Reconcile errors",
    "short",
    "Reconciles that returned an error, as the operator counts them.",
  ),
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
      { expr: `max by (verdict) (last_over_time(patronus_bench_verdict{${RUN}}[$__range]))`, instant: true },
    ],
  },
  windowed(
    "site_ready_latency",
    "Site create → Ready",
    "From a Site's create request to the watch seeing it Ready.",
  ),
  windowed(
    "update_observed_latency",
    "Spec update observed",
    "From a Site spec update to its observedGeneration caught up.",
  ),
  windowed("delete_latency", "Delete → gone", "From a delete request to the object gone."),
  windowed("load_request_latency", "Load requests", "The load driver's apiserver requests."),
  {
    kind: "timeseries",
    title: "Load rate",
    description: "Iterations per second the load phases aimed at and achieved.",
    unit: "reqps",
    queries: [
      { expr: `patronus_bench_target_rate{${RUN}}`, legend: "target" },
      { expr: `patronus_bench_achieved_rate{${RUN}}`, legend: "achieved" },
    ],
  },
  {
    kind: "timeseries",
    title: "Operator and Patronus API rates",
    description:
      "Reconciles per second (the operator's count) and requests per second the mesh simulator served.",
    unit: "reqps",
    queries: [
      { expr: `patronus_bench_reconcile_rate{${RUN}}`, legend: "reconciles" },
      { expr: `patronus_bench_patronus_request_rate{${RUN}}`, legend: "Patronus API requests" },
    ],
  },
  {
    kind: "timeseries",
    title: "Workqueue depth",
    description: "Items waiting in the operator's workqueues, summed over controllers and replicas.",
    unit: "short",
    queries: [{ expr: `patronus_bench_workqueue_depth{${RUN}}`, legend: "depth" }],
  },
  {
    kind: "timeseries",
    title: "Objects",
    description: "Objects the run's watches see, Sites Ready so far, and Paths reporting of those expected.",
    unit: "short",
    queries: [
      { expr: `patronus_bench_object_count{${RUN}}`, legend: "objects" },
      { expr: `patronus_bench_sites_ready_total{${RUN}}`, legend: "Sites Ready" },
      { expr: `patronus_bench_paths_reporting{${RUN}}`, legend: "Paths reporting" },
      { expr: `patronus_bench_paths_expected{${RUN}}`, legend: "Paths expected" },
    ],
  },
  perProcess(
    "cpu_cores",
    "CPU per process",
    "short",
    "CPU of each process the run measures, in cores (operator: all replicas; mesh: all shards).",
  ),
  perProcess("rss_bytes", "RSS per process", "bytes", "Resident memory of each process the run measures."),
];

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
  for (const p of RUN_PANELS) d.withPanel(toPanel(p));
  return d.build();
}

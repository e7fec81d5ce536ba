/**
 * Benchmark history: each scenario's figures and verdicts across runs, by commit and operator.
 * A run's figures are sent every few seconds while it runs and once more at its end; a figure
 * `and on (run_id) patronus_bench_verdict` keeps only the end, since the verdict is sent last —
 * so each run is one short segment at its final value, labelled with its commit and operator.
 */
import { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { type Dashboard, datasourceVariable, labelVariable, type PanelSpec, toPanel } from "./panels.ts";

const SEL = 'scenario=~"$scenario",operator=~"$operator"';
const AT_END = ` and on (run_id) patronus_bench_verdict{${SEL}}`;
const BY_RUN = "{{operator}} {{git_commit}}";

/** A latency's run-wide p99 at the end of each run (`phase=""`: not a per-phase figure). */
function p99(metric: string, title: string, description: string): PanelSpec {
  return {
    kind: "timeseries",
    title: `${title} p99`,
    description,
    unit: "ms",
    queries: [
      {
        expr: `max by (operator, git_commit, run_id) (patronus_bench_${metric}{${SEL},phase="",quantile="0.99"}${AT_END})`,
        legend: BY_RUN,
      },
    ],
  };
}

function final(metric: string, title: string, unit: string, description: string): PanelSpec {
  return {
    kind: "timeseries",
    title,
    description,
    unit,
    queries: [
      {
        expr: `max by (operator, git_commit, run_id) (patronus_bench_${metric}{${SEL}}${AT_END})`,
        legend: BY_RUN,
      },
    ],
  };
}

export const HISTORY_PANELS: readonly PanelSpec[] = [
  {
    kind: "table",
    title: "Runs and verdicts",
    description:
      "One row per run in the time range: run id, commit, operator, cluster provider and verdict (value 1 pass, 0 fail or inconclusive).",
    unit: "short",
    width: 24,
    queries: [
      {
        expr: `max by (run_id, git_commit, operator, cluster_provider, verdict) (last_over_time(patronus_bench_verdict{${SEL}}[$__range]))`,
        instant: true,
      },
    ],
  },
  {
    kind: "timeseries",
    title: "Verdicts",
    description: "Each run's verdict at its end: 1 pass, 0 fail or inconclusive.",
    unit: "short",
    queries: [
      { expr: `max by (operator, git_commit, run_id) (patronus_bench_verdict{${SEL}})`, legend: BY_RUN },
    ],
  },
  {
    kind: "timeseries",
    title: "Thresholds failed per run",
    description:
      "How many of a run's thresholds failed (inconclusive and not-applicable ones are not counted).",
    unit: "short",
    queries: [
      {
        expr: `count by (operator, git_commit, run_id) (patronus_bench_threshold{${SEL}} == 0) or count by (operator, git_commit, run_id) (patronus_bench_threshold{${SEL}}) * 0`,
        legend: BY_RUN,
      },
    ],
  },
  {
    kind: "timeseries",
    title: "Every latency p99",
    description:
      "The run-wide p99 of every latency and convergence the scenario records, at the end of each run; the thresholds' latencies are among them.",
    unit: "ms",
    width: 24,
    queries: [
      {
        expr: `max by (__name__, operator, git_commit, run_id) ({__name__=~"patronus_bench_.+_(latency|convergence|gap|recovery|drain)",${SEL},phase="",quantile="0.99"}${AT_END})`,
        legend: "{{__name__}} {{operator}} {{git_commit}}",
      },
    ],
  },
  p99(
    "site_ready_latency",
    "Site create → Ready",
    "From a Site's create request to the watch seeing it Ready.",
  ),
  p99(
    "update_observed_latency",
    "Spec update observed",
    "From a Site spec update to its observedGeneration caught up.",
  ),
  p99("delete_latency", "Delete → gone", "From a delete request to the object gone (finalizers done)."),
  p99(
    "policy_apply_latency",
    "Policy applied",
    "From a Policy create or change to it being Applied in the mesh.",
  ),
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
  final("run_duration_seconds", "Run duration", "s", "From bring-up to teardown."),
  final("reconcile_errors", "Reconcile errors", "short", "Reconciles that returned an error during the run."),
  {
    kind: "timeseries",
    title: "Operator peak CPU",
    description: "The highest CPU the operator's processes used during each run (all replicas), in cores.",
    unit: "short",
    queries: [
      {
        expr: `max by (operator, git_commit, run_id) (max_over_time(patronus_bench_operator_cpu_cores{${SEL}}[1h]))${AT_END}`,
        legend: BY_RUN,
      },
    ],
  },
  {
    kind: "timeseries",
    title: "Operator peak RSS",
    description: "The highest resident memory of the operator's processes during each run (all replicas).",
    unit: "bytes",
    queries: [
      {
        expr: `max by (operator, git_commit, run_id) (max_over_time(patronus_bench_operator_rss_bytes{${SEL}}[1h]))${AT_END}`,
        legend: BY_RUN,
      },
    ],
  },
];

export function historyDashboard(): Dashboard {
  const d = new DashboardBuilder("patronus-bench: benchmark history")
    .uid("patronus-bench-history")
    .description(
      "Each scenario's figures and verdicts across runs, by commit and operator (--out prometheus-rw).",
    )
    .tags(["patronus-bench"])
    .time({ from: "now-30d", to: "now" })
    .refresh("")
    .withVariable(datasourceVariable())
    .withVariable(labelVariable("scenario", "scenario", "patronus_bench_verdict", { multi: true }))
    .withVariable(
      labelVariable("operator", "operator", 'patronus_bench_verdict{scenario=~"$scenario"}', { multi: true }),
    );
  for (const p of HISTORY_PANELS) d.withPanel(toPanel(p));
  return d.build();
}

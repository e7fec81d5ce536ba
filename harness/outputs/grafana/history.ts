/**
 * Benchmark history: each scenario's figures and verdicts across runs, by commit and operator.
 * A run's figures are sent every few seconds while it runs and once more at its end; a figure
 * `and on (run_id)` the verdict keeps only the end, since the verdict is sent only then (with the
 * final figures, at the same instant) — so each run is one point at its final value, labelled
 * with its commit and operator.
 *
 * Over 30 days Grafana steps by about 40 minutes, while Prometheus looks back only 5 minutes
 * for a plain selector: a verdict sent once would be seen by almost no step. So every figure
 * is read with `last_over_time(…[$__interval])`, whose windows tile the range — each run's end
 * falls in exactly one step, whatever the zoom.
 * A panel of one metric takes its title, words and unit from the metric catalog (catalog-text.ts).
 */
import { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { metricText } from "./catalog-text.ts";
import { type Dashboard, datasourceVariable, labelVariable, type PanelSpec, toPanel } from "./panels.ts";

const SEL = 'scenario=~"$scenario",operator=~"$operator"';
/** A series' latest sample in each step's window (see above). */
const latest = (selector: string) => `last_over_time(${selector}[$__interval])`;
const AT_END = ` and on (run_id) ${latest(`patronus_bench_verdict{${SEL}}`)}`;
const BY_RUN = "{{operator}} {{git_commit}}";

/** A latency's run-wide p99 at the end of each run (`phase=""`: not a per-phase figure). */
function p99(metric: string): PanelSpec {
  const { title, description, unit } = metricText(metric);
  return {
    kind: "timeseries",
    points: true,
    title: `${title} p99`,
    description,
    unit,
    queries: [
      {
        expr: `max by (operator, git_commit, run_id) (${latest(`patronus_bench_${metric}{${SEL},phase="",quantile="0.99"}`)}${AT_END})`,
        legend: BY_RUN,
      },
    ],
  };
}

/**
 * A latency's p99 over all runs of a commit and operator in the last day taken together (a
 * nightly's repeats merged): each run's latest buckets summed, then histogram_quantile.
 */
function mergedP99(metric: string): PanelSpec {
  const { title, description, unit } = metricText(metric);
  return {
    kind: "timeseries",
    title: `${title} p99, a commit's runs together`,
    description: `${description} The p99 of every run of one commit and operator in the last 24 hours taken together, from the histogram buckets (within one bucket, √2 apart, of the exact figure).`,
    unit,
    queries: [
      {
        expr: `histogram_quantile(0.99, sum by (le, scenario, operator, git_commit) (last_over_time(patronus_bench_${metric}_bucket{${SEL},phase=""}[1d])))`,
        legend: "{{scenario}} {{operator}} {{git_commit}}",
      },
    ],
  };
}

function final(metric: string): PanelSpec {
  const { title, description, unit } = metricText(metric);
  return {
    kind: "timeseries",
    points: true,
    title,
    description,
    unit,
    queries: [
      {
        expr: `max by (operator, git_commit, run_id) (${latest(`patronus_bench_${metric}{${SEL}}`)}${AT_END})`,
        legend: BY_RUN,
      },
    ],
  };
}

/** A series' highest point during each run. */
function peak(metric: string): PanelSpec {
  const { title, description, unit } = metricText(metric);
  return {
    kind: "timeseries",
    points: true,
    title: `${title} peak`,
    description: `The highest point during each run. ${description}`,
    unit,
    queries: [
      {
        expr: `max by (operator, git_commit, run_id) (max_over_time(patronus_bench_${metric}{${SEL}}[1h]))${AT_END}`,
        legend: BY_RUN,
      },
    ],
  };
}

/** Read from the catalog each time, so a dashboard is generated from the catalog as it is. */
export function historyPanels(): PanelSpec[] {
  return [
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
      points: true,
      title: "Verdicts",
      description: "Each run's verdict at its end: 1 pass, 0 fail or inconclusive.",
      unit: "short",
      queries: [
        {
          expr: `max by (operator, git_commit, run_id) (${latest(`patronus_bench_verdict{${SEL}}`)})`,
          legend: BY_RUN,
        },
      ],
    },
    {
      kind: "timeseries",
      points: true,
      title: "Thresholds failed per run",
      description:
        "How many of a run's thresholds failed (inconclusive and not-applicable ones are not counted).",
      unit: "short",
      queries: [
        {
          expr: `count by (operator, git_commit, run_id) (${latest(`patronus_bench_threshold{${SEL}}`)} == 0) or count by (operator, git_commit, run_id) (${latest(`patronus_bench_threshold{${SEL}}`)}) * 0`,
          legend: BY_RUN,
        },
      ],
    },
    {
      kind: "timeseries",
      points: true,
      title: "Every latency p99",
      description:
        "The run-wide p99 of every latency and convergence the scenario records, at the end of each run; the thresholds' latencies are among them.",
      unit: "ms",
      width: 24,
      // last_over_time drops the metric's name; label_replace keeps it as `metric` first, which
      // takes a subquery — on both sides of `and`, so both see the run's end at the same steps.
      minInterval: "1m",
      queries: [
        {
          expr: `max by (metric, operator, git_commit, run_id) (last_over_time(label_replace({__name__=~"patronus_bench_.+_(latency|convergence|gap|recovery|drain)",${SEL},phase="",quantile="0.99"}, "metric", "$1", "__name__", "patronus_bench_(.+)")[$__interval:1m]) and on (run_id) last_over_time(patronus_bench_verdict{${SEL}}[$__interval:1m]))`,
          legend: "{{metric}} {{operator}} {{git_commit}}",
        },
      ],
    },
    p99("site_ready_latency"),
    mergedP99("site_ready_latency"),
    p99("update_observed_latency"),
    p99("delete_latency"),
    p99("policy_apply_latency"),
    final("lost_updates"),
    final("coverage_ratio"),
    final("run_duration_seconds"),
    final("reconcile_errors"),
    peak("operator_cpu_cores"),
    peak("operator_rss_bytes"),
  ];
}

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
  for (const p of historyPanels()) d.withPanel(toPanel(p));
  return d.build();
}

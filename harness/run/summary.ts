/** The end-of-run summary, k6-style: key figures, then every threshold with ✓ or ✗. */
import { PROBE_END, PROBE_RATIO, PROBE_START } from "../measure/machine/contamination.ts";
import { CPU_PROCESS_LABELS, phaseCpu, phaseFlags, SATURATED_SHARE } from "../results/phase-cpu.ts";
import type { Results } from "../results/schema.ts";
import { FROM_OPERATOR_METRIC, OPERATOR_METRIC_TEXT } from "../scenario/subjects.ts";

const KEY_METRICS = [
  "site_ready_latency",
  "update_observed_latency",
  "delete_latency",
  "path_status_latency",
  "policy_apply_latency",
  "path_failover_convergence",
  "site_failover_convergence",
  "leader_failover_gap",
  "controlplane_recovery",
  "api_outage_drain",
];

const STATUS_MARK: Record<Results["thresholds"][number]["status"], string> = {
  pass: "✓",
  fail: "✗",
  inconclusive: "?",
  "not-applicable": "–",
};

function fmt(v: number | null | undefined, unit = ""): string {
  if (v === null || v === undefined) return "—";
  if (unit === "bytes") return `${(v / 2 ** 20).toFixed(1)} MiB`;
  // Small values keep four decimals: a coverage of 0.9976 must not print as 1.
  const shown = Math.abs(v) < 10 ? Math.round(v * 10_000) / 10_000 : Math.round(v * 100) / 100;
  return `${shown}${unit && unit !== "count" ? ` ${unit}` : ""}`;
}

/** The capacity probe's two times and their ratio, when the run took both. */
function capacityProbeLine(results: Results): string | undefined {
  const start = results.metrics[PROBE_START];
  const end = results.metrics[PROBE_END];
  if (start?.type !== "gauge" || end?.type !== "gauge") return undefined;
  const ratio = results.metrics[PROBE_RATIO];
  const by = ratio?.type === "gauge" ? ` (end/start ${fmt(ratio.value)})` : "";
  return `  ${"capacity_probe_seconds".padEnd(28)} start ${fmt(start.value)} s, end ${fmt(end.value)} s${by}`;
}

/**
 * The operator's own figures, read by the names its definition gives them: reconcile rate,
 * errors, reconcile time and queue depth — and which of them it does not export (the plan's
 * `metric …` entries in notApplicable).
 */
function operatorFiguresLine(results: Results): string | undefined {
  const lacking = new Set(
    (results.notApplicable ?? [])
      .map((n) => n.subject.replace(/^metric /, ""))
      .filter((m) => m in FROM_OPERATOR_METRIC),
  );
  const parts: string[] = [];
  const rate = results.metrics.reconcile_rate;
  if (rate?.type === "series" && rate.points.length > 0) {
    const values = rate.points.map((p) => p[1]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    parts.push(`reconcile_rate max=${fmt(Math.max(...values))} mean=${fmt(mean)} ${rate.unit}`);
  }
  const errors = results.metrics.reconcile_errors;
  if (errors?.type === "counter") parts.push(`reconcile_errors ${errors.value}`);
  const time = results.metrics.reconcile_time;
  if (time?.type === "distribution" && time.count > 0)
    parts.push(`reconcile_time p50=${fmt(time.p50)} p99=${fmt(time.p99)} ${time.unit}`);
  const depth = results.metrics.workqueue_depth;
  if (depth?.type === "series" && depth.points.length > 0)
    parts.push(`workqueue_depth max=${fmt(Math.max(...depth.points.map((p) => p[1])))}`);
  const name = results.run.operator.name;
  if (parts.length === 0 && lacking.size === Object.keys(FROM_OPERATOR_METRIC).length)
    return `  operator ${name} exports no reconcile, error or queue metrics`;
  const none = Object.entries(FROM_OPERATOR_METRIC)
    .filter(([metric]) => lacking.has(metric))
    .map(([, role]) => `no ${OPERATOR_METRIC_TEXT[role]}`);
  if (parts.length === 0 && none.length === 0) return undefined;
  return `  operator ${name}: ${[...parts, ...none].join(" · ")}`;
}

export function renderSummary(results: Results, dir: string): string {
  const lines: string[] = [];
  lines.push(
    `\n  scenario ${results.run.scenario} — ${results.verdict.toUpperCase()} in ${results.run.durationSeconds}s`,
  );
  // Before any figure: the timings below were taken on a machine busy with something else.
  for (const reason of results.contamination?.contaminated ? results.contamination.reasons : [])
    lines.push(`  ${reason} — timing thresholds are inconclusive`);
  const probe = capacityProbeLine(results);
  if (probe) lines.push(probe);
  for (const name of [
    "cpu_steal_seconds",
    "apiserver_requests_per_object",
    "operator_cpu_seconds_per_1000_objects",
    "operator_cpu_per_control_plane_cpu",
    "patronus_api_calls_per_object",
    "operator_bytes_sent_per_object",
    "etcd_bytes_per_object",
  ]) {
    const m = results.metrics[name];
    if (m?.type === "gauge") lines.push(`  ${name.padEnd(38)} ${fmt(m.value)} ${m.unit}`);
  }
  lines.push(`  coverage ${results.coverage.observed}/${results.coverage.expected} objects observed\n`);
  for (const name of KEY_METRICS) {
    const m = results.metrics[name];
    if (m?.type !== "distribution") continue;
    lines.push(
      `  ${name.padEnd(28)} count=${m.count} p50=${fmt(m.p50)} p90=${fmt(m.p90)} p99=${fmt(m.p99)} max=${fmt(m.max)} ${m.unit}`,
    );
  }
  for (const name of ["operator_rss_bytes", "operator_cpu_cores", "mesh_cpu_cores", "harness_cpu_cores"]) {
    const m = results.metrics[name];
    if (m?.type !== "series" || m.points.length === 0) continue;
    const values = m.points.map((p) => p[1]);
    lines.push(
      `  ${name.padEnd(28)} max=${fmt(Math.max(...values), m.unit)} last=${fmt(values.at(-1), m.unit)}`,
    );
  }
  for (const name of ["lost_updates", "stale_writes", "dropped_iterations", "load_errors"]) {
    const m = results.metrics[name];
    if (m?.type === "counter") lines.push(`  ${name.padEnd(28)} ${m.value}`);
  }
  const operatorFigures = operatorFiguresLine(results);
  if (operatorFigures) lines.push(operatorFigures);
  const dual = results.metrics.dual_leader_seconds;
  if (dual?.type === "gauge") lines.push(`  ${"dual_leader_seconds".padEnd(28)} ${fmt(dual.value)} s`);
  lines.push(...cpuByPhase(results));
  if (results.thresholds.length > 0) {
    lines.push("\n  thresholds");
    for (const t of results.thresholds) {
      const mark = STATUS_MARK[t.status];
      const why = t.status === "pass" || t.status === "fail" || !t.reason ? "" : `  ${t.reason}`;
      lines.push(`  ${mark} ${t.metric.padEnd(30)} ${t.expression.padEnd(16)} value=${fmt(t.value)}${why}`);
    }
  }
  if (results.diagnosis?.lines.length) {
    lines.push("\n  diagnosis");
    for (const l of results.diagnosis.lines) lines.push(`  ${l}`);
  }
  if (results.notApplicable?.length) {
    lines.push("\n  left out");
    for (const n of results.notApplicable) lines.push(`  – ${n.subject}: ${n.reason}`);
  }
  lines.push(`\n  results: ${dir}/results.json\n`);
  return lines.join("\n");
}

/** Average cores per phase and process; "saturated" marks phases where latency includes waiting for CPU. */
function cpuByPhase(results: Results): string[] {
  const table = phaseCpu(results);
  if (table.phases.length === 0) return [];
  const cell = (v: number | undefined) => (v === undefined ? "—" : v.toFixed(2)).padStart(10);
  const width = Math.max(20, ...table.phases.map((p) => p.phase.length + 2));
  const lines = [
    `\n  cpu by phase (average cores; this machine has ${table.machineCores}${table.processes.includes("controller_manager") ? "; kcm = kube-controller-manager" : ""})`,
    `  ${"phase".padEnd(width)}${"seconds".padStart(8)}${table.processes.map((p) => CPU_PROCESS_LABELS[p].padStart(10)).join("")}${"total".padStart(10)}`,
  ];
  for (const p of table.phases) {
    lines.push(
      `  ${p.phase.padEnd(width)}${p.seconds.toFixed(1).padStart(8)}${table.processes.map((name) => cell(p.cores[name])).join("")}` +
        `${cell(p.total)}${phaseFlags(p)
          .map((f) => `  ${f}`)
          .join("")}`,
    );
  }
  if (table.phases.some((p) => p.saturated))
    lines.push(
      `  saturated: the measured processes kept ≥ ${SATURATED_SHARE * 100} % of the cores busy — latencies there include waiting for CPU`,
    );
  if (table.phases.some((p) => p.operatorAtLimit))
    lines.push(
      `  operator at its CPU limit: ≥ ${SATURATED_SHARE * 100} % of its container's ${table.operatorCpuLimit} cores — it was throttled there`,
    );
  return lines;
}

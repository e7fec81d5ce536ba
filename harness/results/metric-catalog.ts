/**
 * The public metric names (team brief) and which direction is better, so compare can say
 * "improved" or "regressed" and reports can list what a scenario did not record.
 * Labelled metrics are stored as `name{label="value",…}`; their base name decides.
 */
export type Better = "lower" | "higher" | "neutral";

export const METRIC_CATALOG: Readonly<Record<string, { better: Better; title: string }>> = {
  site_ready_latency: { better: "lower", title: "Site create → Ready" },
  update_observed_latency: { better: "lower", title: "Spec update observed" },
  delete_latency: { better: "lower", title: "Delete → gone" },
  path_status_latency: { better: "lower", title: "Telemetry → Path status" },
  policy_apply_latency: { better: "lower", title: "Policy applied" },
  path_failover_convergence: { better: "lower", title: "Path failover convergence" },
  site_failover_convergence: { better: "lower", title: "Site failover convergence" },
  leader_failover_gap: { better: "lower", title: "Leader failover gap" },
  controlplane_recovery: { better: "lower", title: "Control-plane recovery" },
  lost_updates: { better: "lower", title: "Lost updates" },
  stale_writes: { better: "lower", title: "Writes without the Lease" },
  dual_leader_seconds: { better: "lower", title: "Two replicas acting as leader" },
  operator_cpu_cores: { better: "lower", title: "Operator CPU" },
  operator_rss_bytes: { better: "lower", title: "Operator RSS" },
  operator_event_loop_delay: { better: "lower", title: "Operator event-loop delay" },
  mesh_cpu_cores: { better: "neutral", title: "Mesh simulator CPU" },
  mesh_rss_bytes: { better: "neutral", title: "Mesh simulator RSS" },
  achieved_rate: { better: "higher", title: "Achieved rate" },
  target_rate: { better: "neutral", title: "Target rate" },
  dropped_iterations: { better: "lower", title: "Dropped iterations" },
  harness_cpu_cores: { better: "neutral", title: "Harness CPU" },
  controller_manager_cpu_cores: { better: "neutral", title: "kube-controller-manager CPU" },
  controller_manager_rss_bytes: { better: "neutral", title: "kube-controller-manager RSS" },
  workqueue_depth: { better: "lower", title: "Workqueue depth" },
  reconcile_rate: { better: "neutral", title: "Reconcile rate" },
  apiserver_request_latency: { better: "lower", title: "apiserver request latency" },
  etcd_db_size_bytes: { better: "lower", title: "etcd DB size" },
  object_count: { better: "neutral", title: "Objects" },
  // Added by the run orchestrator to every run (harness/run/results.ts).
  coverage_ratio: { better: "higher", title: "Coverage" },
  wait_timeouts: { better: "lower", title: "wait-for timeouts" },
  run_duration_seconds: { better: "neutral", title: "Run duration" },
};

export const METRIC_NAMES = Object.keys(METRIC_CATALOG);

/** `apiserver_request_latency{resource="sites",verb="POST"}` → `apiserver_request_latency`. */
export function baseMetricName(name: string): string {
  const brace = name.indexOf("{");
  return brace === -1 ? name : name.slice(0, brace);
}

/** Labels of a stored metric key, e.g. {quantile: "0.99"}. */
export function metricLabels(name: string): Record<string, string> {
  const brace = name.indexOf("{");
  if (brace === -1) return {};
  const out: Record<string, string> = {};
  for (const m of name.slice(brace + 1, -1).matchAll(/(\w+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

export function betterDirection(name: string): Better {
  const base = baseMetricName(name);
  const known = METRIC_CATALOG[base]?.better;
  if (known) return known;
  // Unknown (scenario-defined) metrics: latencies are the common case.
  if (/_(latency|convergence|gap|recovery|delay)$/.test(base)) return "lower";
  return "neutral";
}

export function metricTitle(name: string): string {
  return METRIC_CATALOG[baseMetricName(name)]?.title ?? baseMetricName(name);
}

/**
 * Series that record a latency percentile over time use the Prometheus-summary convention:
 * `site_ready_latency{quantile="0.99"}` (type series, unit ms); a labelled metric keeps its labels
 * in the same braces: `site_ready_latency{phase="churn",quantile="0.99"}`.
 */
export function quantileSeriesName(metric: string, quantile: number): string {
  return metric.endsWith("}")
    ? `${metric.slice(0, -1)},quantile="${quantile}"}`
    : `${metric}{quantile="${quantile}"}`;
}

/**
 * The public metric names: what each measures, its unit, and which direction is better, so compare
 * can say "improved" or "regressed", reports can list what a scenario did not record, and
 * docs/metrics.md is generated from it (`npm run docs:generate`; a test fails when it is stale).
 * Labelled metrics are stored as `name{label="value",…}`; their base name decides.
 */
export type Better = "lower" | "higher" | "neutral";

export interface MetricInfo {
  better: Better;
  title: string;
  /** The unit results.json records it in. */
  unit: string;
  /** What it measures, for users: one or two sentences. */
  description: string;
  /** Labels it may carry (`name{label="…"}`). */
  labels?: readonly string[];
  /**
   * Read from a Prometheus histogram's buckets: every value sits on a bucket bound, so a
   * difference within one bucket's width is below the figure's resolution. The bounds (in the
   * metric's unit) where the source's layout is fixed; otherwise the bounds seen in the data.
   */
  bucketed?: true | readonly number[];
  /**
   * A cost count: work per object (requests, CPU seconds, calls), which a slower machine takes
   * longer to do but does not do more of, so its spread across repeats should stay within a few
   * percent where a latency's does not.
   */
  costCount?: true;
}

/** kube-apiserver's apiserver_request_duration_seconds bucket bounds, in ms. */
const KUBE_APISERVER_REQUEST_BUCKETS_MS = [
  5, 25, 50, 100, 200, 400, 600, 800, 1000, 1250, 1500, 2000, 3000, 4000, 5000, 6000, 8000, 10000, 15000,
  20000, 30000, 40000, 50000, 60000,
];

export const METRIC_CATALOG: Readonly<Record<string, MetricInfo>> = {
  // What users feel, measured from outside by watching the objects (harness/measure/cr-latency).
  site_ready_latency: {
    better: "lower",
    title: "Site create → Ready",
    unit: "ms",
    description: "From the create request of a Site to the watch seeing it Ready with its status caught up.",
    labels: ["phase", "quantile"],
  },
  update_observed_latency: {
    better: "lower",
    title: "Spec update observed",
    unit: "ms",
    description:
      "From a Site spec update to the watch seeing the operator's observedGeneration catch up with the object Ready.",
    labels: ["phase", "quantile"],
  },
  delete_latency: {
    better: "lower",
    title: "Delete → gone",
    unit: "ms",
    description: "From a delete request to the watch seeing the object gone (finalizers done).",
    labels: ["phase", "quantile"],
  },
  path_status_latency: {
    better: "lower",
    title: "Telemetry → Path status",
    unit: "ms",
    description: "From the mesh simulator emitting a tunnel's telemetry to the Path's status showing it.",
    labels: ["quantile"],
  },
  policy_apply_latency: {
    better: "lower",
    title: "Policy applied",
    unit: "ms",
    description: "From a Policy create or change to the operator marking it Applied (the mesh confirmed it).",
    labels: ["phase", "quantile"],
  },
  backlog_oldest_request: {
    better: "lower",
    title: "Oldest request not yet observed done",
    unit: "s",
    description:
      "Series: the run time at which the oldest change still waiting to be observed done was requested (-1: none waiting).",
  },
  superseded_expectations: {
    better: "neutral",
    title: "Superseded expectations",
    unit: "count",
    description:
      "Changes overtaken by a later change to the same object before they were observed (not counted as latency).",
  },
  path_status_unobserved: {
    better: "lower",
    title: "Path status updates not observed",
    unit: "count",
    description: "Telemetry updates whose Path status the watch never saw by the end of the run.",
  },
  convergence_seconds: {
    better: "lower",
    title: "Convergence",
    unit: "s",
    description:
      "Per wait-for phase: from the start of the last phase that changed objects to the wait's condition holding (e.g. every Path reporting).",
    labels: ["wait"],
  },
  // Failover (harness/measure/failover, harness/run/control).
  path_failover_convergence: {
    better: "lower",
    title: "Path failover convergence",
    unit: "ms",
    description: "From a link fault to the affected tunnels' traffic rerouted and confirmed by the mesh.",
    labels: ["quantile"],
  },
  site_failover_convergence: {
    better: "lower",
    title: "Site failover convergence",
    unit: "ms",
    description:
      "From a site, hub or region fault to the other sites' affected traffic rerouted and confirmed.",
    labels: ["quantile"],
  },
  failover_unrestored: {
    better: "lower",
    title: "Failovers never restored",
    unit: "count",
    description:
      "Tunnels interrupted by a fault whose traffic was neither rerouted nor restored by the end of the run.",
  },
  failover_not_rerouted: {
    better: "neutral",
    title: "Restored by the fault clearing",
    unit: "count",
    description:
      "Interrupted tunnels that came back because the fault cleared, not because the operator rerouted them.",
  },
  leader_failover_gap: {
    better: "lower",
    title: "Leader failover gap",
    unit: "ms",
    description:
      "From killing the leader replica to a standby holding the Lease and reconciling again (its reconcile counter moved; for an operator that exports none, to the election).",
    labels: ["quantile"],
  },
  leader_failover_missed: {
    better: "lower",
    title: "Leader failovers not measured",
    unit: "count",
    description: "Leader kills after which no new leader was seen within the wait.",
  },
  controlplane_recovery: {
    better: "lower",
    title: "Control-plane recovery",
    unit: "ms",
    description: "From a kube-apiserver or etcd restart to the operator reconciling a change made after it.",
    labels: ["quantile"],
  },
  controlplane_recovery_missed: {
    better: "lower",
    title: "Control-plane recoveries not seen",
    unit: "count",
    description: "Control-plane restarts after which the operator was not seen catching up within the wait.",
  },
  api_outage_drain: {
    better: "lower",
    title: "Patronus API outage drained",
    unit: "ms",
    description:
      "From the Patronus API coming back to every change requested before then being observed done.",
  },
  api_outage_not_drained: {
    better: "lower",
    title: "Outages never drained",
    unit: "count",
    description: "Patronus API outages whose backlog was still pending at the end of the run.",
  },
  patronus_request_rate: {
    better: "neutral",
    title: "Patronus API request rate",
    unit: "1/s",
    description: "Series: requests per second the mesh simulator served to the operator.",
  },
  patronus_api_requests: {
    better: "neutral",
    title: "Patronus API requests by caller",
    unit: "count",
    description:
      "Requests each operator replica (its /c/<caller> URL prefix) sent the Patronus API during the run, as the mesh simulator counted them.",
    labels: ["caller"],
  },
  patronus_api_rate_limited: {
    better: "lower",
    title: "Patronus API requests refused by the rate limit",
    unit: "count",
    description:
      "Requests the mesh simulator refused with 429 because their caller exceeded mesh.apiRate (a token bucket per caller, burst twice the rate); unlabelled: all callers.",
    labels: ["caller"],
  },
  patronus_api_aborted: {
    better: "neutral",
    title: "Patronus API requests aborted by the client",
    unit: "count",
    description:
      "Requests whose client hung up before the answer (its own timeout, a cancelled call, a partitioned caller giving up); never counted as server errors.",
  },
  outage_request_rate_max: {
    better: "lower",
    title: "Peak request rate during an outage",
    unit: "1/s",
    description:
      "The highest Patronus API request rate while the API was unavailable (a retry storm shows here).",
  },
  // Correctness (harness/measure/correctness) and the run's own accounting (harness/run).
  lost_updates: {
    better: "lower",
    title: "Lost updates",
    unit: "count",
    description:
      "Objects whose final state the operator did not carry through: a Site or Policy not registered in the mesh or with a different spec, a deleted one still there, a tunnel whose Path is missing, left over or programmed differently.",
  },
  stale_writes: {
    better: "lower",
    title: "Writes without the Lease",
    unit: "count",
    description:
      "Writes to the apiserver or the Patronus API by an operator replica at a moment it did not hold the Lease (split brain).",
    labels: ["api"],
  },
  dual_leader_seconds: {
    better: "lower",
    title: "Two replicas acting as leader",
    unit: "s",
    description: "How long a replica still wrote while another held the Lease.",
  },
  coverage_ratio: {
    better: "higher",
    title: "Coverage",
    unit: "ratio",
    description:
      "Share of the requests the run made whose outcome it observed (1: every object accounted for).",
  },
  wait_timeouts: {
    better: "lower",
    title: "wait-for timeouts",
    unit: "count",
    description: "wait-for phases that timed out before their condition held.",
  },
  run_duration_seconds: {
    better: "neutral",
    title: "Run duration",
    unit: "s",
    description: "From bring-up to teardown of the run.",
  },
  objects_failed: {
    better: "lower",
    title: "Objects ending Failed",
    unit: "count",
    description:
      "Objects the operator reported Failed (by its definition's Failed predicate) after seeing the harness's last write, still Failed at the end of the run; not waited for, named with its message in the events.",
    labels: ["kind"],
  },
  updates_unjudged: {
    better: "neutral",
    title: "Updates seen Ready but not judged",
    unit: "count",
    description:
      "Updates of a kind whose status cannot tell that the operator saw them (its definition has no updateObserved): counted as observed once the object is Ready after them, with no latency sample.",
    labels: ["kind"],
  },
  steady_state_patronus_calls_per_object_per_minute: {
    better: "lower",
    title: "Patronus API calls at steady state",
    unit: "1/min",
    description:
      "Patronus API calls per object per minute in the run's quiet end (steadyState.window), when nothing changed; near zero for a well-behaved operator.",
  },
  steady_state_apiserver_writes_per_object_per_minute: {
    better: "lower",
    title: "apiserver writes at steady state",
    unit: "1/min",
    description:
      "apiserver writes (status included) to the run's Sites and Policies per object per minute in the quiet end, from the apiserver's request counters; `{resource}` for each of the operator's kinds (per Site and Policy too). Near zero for a well-behaved operator.",
    labels: ["resource"],
  },
  objects_written_concurrently: {
    better: "lower",
    title: "Objects written by several replicas at once",
    unit: "count",
    description:
      "Objects (Patronus API sites and policies) written by two operator replicas or more within 5 s of each other, from the simulator's per-caller request log.",
  },
  concurrent_writes: {
    better: "lower",
    title: "Concurrent writes",
    unit: "count",
    description:
      "Patronus API writes to an object another replica had written less than 5 s before (every replica working at once, without leader election).",
  },
  patronus_requests_unread: {
    better: "lower",
    title: "Requests evicted before they were read",
    unit: "count",
    description:
      "Entries of the simulator's bounded per-caller request log evicted before the harness read them (a flooding operator); the route tally and concurrent writes miss them.",
  },
  operator_restarts: {
    better: "lower",
    title: "Operator restarts",
    unit: "count",
    description:
      "Operator replicas that exited and were restarted during the run, other than by an injected fault.",
  },
  // Load (harness/run/phases).
  achieved_rate: {
    better: "higher",
    title: "Achieved rate",
    unit: "ops/s",
    description: "Series: operations started per second by an open-model load or churn phase.",
  },
  target_rate: {
    better: "neutral",
    title: "Target rate",
    unit: "ops/s",
    description: "Series: the rate the phase's executor asked for at that moment.",
  },
  dropped_iterations: {
    better: "lower",
    title: "Dropped iterations",
    unit: "count",
    description:
      "Arrivals not started because maxInFlight requests were already in flight (the system fell behind).",
  },
  iterations: {
    better: "neutral",
    title: "Iterations",
    unit: "count",
    description: "Arrivals an open-model phase started.",
  },
  load_request_latency: {
    better: "lower",
    title: "Load request latency",
    unit: "ms",
    description:
      "apiserver request latency of the load driver's own requests, from the intended start (no coordinated omission).",
    labels: ["quantile"],
  },
  load_errors: {
    better: "lower",
    title: "Load errors",
    unit: "count",
    description: "Load driver requests the apiserver refused or that failed.",
  },
  create_skipped: {
    better: "neutral",
    title: "Creates skipped",
    unit: "count",
    description: "Creates a create phase skipped because the object already existed.",
  },
  ops_create: {
    better: "neutral",
    title: "Creates",
    unit: "count",
    description: "Create operations of load and churn phases.",
  },
  ops_update: {
    better: "neutral",
    title: "Updates",
    unit: "count",
    description: "Update operations of load and churn phases.",
  },
  ops_delete: {
    better: "neutral",
    title: "Deletes",
    unit: "count",
    description: "Delete operations of load and churn phases.",
  },
  ops_skipped: {
    better: "neutral",
    title: "Operations skipped",
    unit: "count",
    description:
      "Arrivals for which the mix had no applicable operation (e.g. an update with no live object).",
  },
  http_load_requests: {
    better: "neutral",
    title: "HTTP load requests",
    unit: "count",
    description: "Requests an http-load phase sent to the Patronus API.",
  },
  http_load_latency: {
    better: "lower",
    title: "HTTP load latency",
    unit: "ms",
    description: "Latency of an http-load phase's requests to the Patronus API.",
  },
  http_load_errors: {
    better: "lower",
    title: "HTTP load errors",
    unit: "count",
    description: "http-load requests that failed or timed out.",
  },
  http_load_non2xx: {
    better: "lower",
    title: "HTTP load non-2xx",
    unit: "count",
    description: "http-load requests answered with a status other than 2xx.",
  },
  // Cost, from /proc per process group (harness/measure/process).
  // The machine's state (harness/measure/machine): what else it was doing during the run.
  unmeasured_cpu_cores: {
    better: "lower",
    title: "CPU used by other work",
    unit: "cores",
    description:
      "Series: the machine's busy CPU (/proc/stat) minus what the processes the run measures used — other jobs on the machine. Its mean above the contamination share of the cores (default 0.25, `--contamination-share`) marks the run contaminated and its timing thresholds inconclusive.",
  },
  cpu_steal_seconds: {
    better: "lower",
    title: "CPU stolen by the hypervisor",
    unit: "s",
    description:
      "CPU time the hypervisor gave this VM's CPUs to others during the run (/proc/stat steal), where the kernel reports it.",
  },
  capacity_probe_seconds: {
    better: "neutral",
    title: "Capacity probe",
    unit: "s",
    description:
      'The same fixed piece of CPU work (SHA-256 over a fixed buffer in one worker thread per core at once; the median of 5 rounds), timed by the harness after the system starts and again after the measurements stop with the operator replicas frozen, so that its own work at steady state does not count: `at="start"` and `at="end"`. A figure about the machine, not the code.',
    labels: ["at"],
  },
  capacity_probe_ratio: {
    better: "neutral",
    title: "Capacity probe end / start",
    unit: "ratio",
    description:
      "capacity_probe_seconds at the end over at the start. Further from 1 than the probe change allows (default 0.25: above 1.25 or below 1/1.25, `--contamination-probe-change`) marks the run contaminated and its timing thresholds inconclusive.",
  },
  // Cost counts (harness/measure/cost): work per object, which does not move with the machine's speed.
  objects_changed: {
    better: "neutral",
    title: "Objects created, changed or deleted",
    unit: "objects",
    description:
      "Create, update and delete requests the run itself sent: the divisor of the per-object cost counts.",
  },
  apiserver_requests_per_object: {
    better: "lower",
    title: "apiserver requests per object",
    unit: "requests/object",
    description:
      "kube-apiserver's own apiserver_request_total, its change over the run for the operator's resources (sites, meshes, paths, policies, leases, events; by resource[/subresource] and verb, and unlabelled the total) divided by objects_changed. Counts every client: operator, harness and controllers.",
    labels: ["resource", "verb"],
    costCount: true,
  },
  operator_cpu_seconds_per_1000_objects: {
    better: "lower",
    title: "Operator CPU per 1000 objects",
    unit: "s/1000 objects",
    description:
      "CPU seconds all operator processes used during the run (restarted replicas included, from /proc) per 1000 objects_changed.",
    costCount: true,
  },
  operator_cpu_per_control_plane_cpu: {
    better: "lower",
    title: "Operator CPU per control-plane CPU",
    unit: "ratio",
    description:
      "The operator's CPU seconds per CPU second kube-apiserver, etcd and kube-controller-manager used in the same run (local processes only). On a shared VM the same work costs every process more CPU seconds when the host runs slower; the control plane's work follows the request counts, so the ratio cancels the machine's speed where operator_cpu_seconds_per_1000_objects does not. A change that adds apiserver requests raises the denominator: read it beside apiserver_requests_per_object.",
    costCount: true,
  },
  operator_bytes_sent_per_object: {
    better: "lower",
    title: "Operator bytes sent per object",
    unit: "bytes/object",
    description:
      'Bytes the operator\'s processes sent on the connections they opened, per objects_changed, from the kernel\'s per-socket counters (tcp_info bytes_acked, read with ss every 2 s): to="apiserver", to="patronus-api", to="other" (only when non-zero); unlabelled all together. Connections the operator accepted (its /metrics scraped) are left out; a connection opened and closed between two readings loses its last bytes. Local processes only (not in a container or a pod: their sockets are in another network namespace).',
    labels: ["to"],
    costCount: true,
  },
  etcd_bytes_per_object: {
    better: "lower",
    title: "etcd bytes per object",
    unit: "bytes/object",
    description:
      "etcd's own byte counters (etcd_network_client_grpc_received_bytes_total and _sent_), their change over the run per objects_changed: direction=\"received\" what kube-apiserver sent etcd (every write's new value, every read's and watch's request), direction=\"sent\" what etcd sent back (read results, watch events); unlabelled both together. Only where the harness reaches etcd's /metrics (embedded cluster, kind).",
    labels: ["direction"],
    costCount: true,
  },
  patronus_api_calls_per_object: {
    better: "lower",
    title: "Patronus API calls per object",
    unit: "calls/object",
    description: "Requests the mesh simulator served during the run, per objects_changed.",
    costCount: true,
  },
  operator_cpu_cores: {
    better: "lower",
    title: "Operator CPU",
    unit: "cores",
    description:
      "Series: CPU of the operator's processes (all replicas), in cores, sampled every sampleInterval.",
  },
  operator_rss_bytes: {
    better: "lower",
    title: "Operator RSS",
    unit: "bytes",
    description: "Series: resident memory of the operator's processes (all replicas).",
  },
  operator_rss_slope_bytes_per_hour: {
    better: "lower",
    title: "Operator RSS growth",
    unit: "bytes/h",
    description:
      "The operator's RSS trend fitted over the run, per hour; only meaningful for long runs (soak).",
  },
  mesh_cpu_cores: {
    better: "neutral",
    title: "Mesh simulator CPU",
    unit: "cores",
    description: "Series: CPU of the mesh simulator's processes (summed over shards).",
  },
  mesh_rss_bytes: {
    better: "neutral",
    title: "Mesh simulator RSS",
    unit: "bytes",
    description: "Series: resident memory of the mesh simulator's processes (summed over shards).",
  },
  apiserver_cpu_cores: {
    better: "neutral",
    title: "kube-apiserver CPU",
    unit: "cores",
    description:
      "Series: CPU of kube-apiserver (embedded and kind clusters, where it is a process of this host).",
  },
  apiserver_rss_bytes: {
    better: "neutral",
    title: "kube-apiserver RSS",
    unit: "bytes",
    description: "Series: resident memory of kube-apiserver.",
  },
  etcd_cpu_cores: {
    better: "neutral",
    title: "etcd CPU",
    unit: "cores",
    description: "Series: CPU of etcd.",
  },
  etcd_rss_bytes: {
    better: "neutral",
    title: "etcd RSS",
    unit: "bytes",
    description: "Series: resident memory of etcd.",
  },
  controller_manager_cpu_cores: {
    better: "neutral",
    title: "kube-controller-manager CPU",
    unit: "cores",
    description: "Series: CPU of kube-controller-manager.",
  },
  controller_manager_rss_bytes: {
    better: "neutral",
    title: "kube-controller-manager RSS",
    unit: "bytes",
    description: "Series: resident memory of kube-controller-manager.",
  },
  harness_cpu_cores: {
    better: "neutral",
    title: "Harness CPU",
    unit: "cores",
    description: "Series: CPU of the harness itself (load driver, watches, measurements).",
  },
  // The operator in a container (--runtime container; harness/run/system/container-record.ts).
  operator_cpu_limit_cores: {
    better: "neutral",
    title: "Operator CPU limit",
    unit: "cores",
    description: "The CPU limit the operator's container ran under, as the cgroup enforced it.",
  },
  operator_memory_limit_bytes: {
    better: "neutral",
    title: "Operator memory limit",
    unit: "bytes",
    description: "The memory limit the operator's container ran under, as the cgroup enforced it.",
  },
  operator_memory_peak_bytes: {
    better: "lower",
    title: "Operator memory peak",
    unit: "bytes",
    description: "The peak memory the operator's container cgroup recorded.",
  },
  operator_cpu_throttled_ratio: {
    better: "lower",
    title: "Operator CPU throttled",
    unit: "ratio",
    description: "Share of CFS periods in which the operator's container was throttled by its CPU limit.",
  },
  operator_cpu_throttled_seconds: {
    better: "lower",
    title: "Operator CPU throttled time",
    unit: "s",
    description: "Total time the operator's container was throttled by its CPU limit.",
  },
  operator_oom_kills: {
    better: "lower",
    title: "Operator OOM kills",
    unit: "count",
    description: "Times the operator's container was killed for exceeding its memory limit.",
  },
  // The operator's own /metrics (controller-runtime names; harness/measure/scrape).
  operator_cpu_cores_reported: {
    better: "neutral",
    title: "Operator CPU (its own account)",
    unit: "cores",
    description:
      "Series: the operator's CPU from its own process_cpu_seconds_total, a cross-check of the /proc sampling.",
  },
  operator_event_loop_delay: {
    better: "lower",
    title: "Operator event-loop delay",
    unit: "ms",
    description:
      "The operator's sampled event-loop lag p99 (Node operators: nodejs_eventloop_lag_p99_seconds).",
  },
  workqueue_depth: {
    better: "lower",
    title: "Workqueue depth",
    unit: "items",
    description:
      "Series: items waiting in the operator's workqueues, summed over controllers and replicas (its definition's `metrics.queueDepth`; the reference operator's workqueue_depth). Not recorded for an operator that exports none.",
  },
  reconcile_rate: {
    better: "neutral",
    title: "Reconcile rate",
    unit: "1/s",
    description:
      "Series: reconciles per second, from the operator's reconcile counter (its definition's `metrics.reconcileTotal`; the reference operator's controller_runtime_reconcile_total).",
  },
  reconcile_errors: {
    better: "lower",
    title: "Reconcile errors",
    unit: "count",
    description:
      "Reconciles that returned an error during the run, from the operator's error counter (its definition's `metrics.reconcileErrors`; the reference operator's controller_runtime_reconcile_errors_total).",
  },
  reconcile_time: {
    better: "lower",
    title: "Reconcile time",
    unit: "ms",
    description:
      "Time per reconcile, from the change over the run of the operator's reconcile duration histogram (its definition's `metrics.reconcileDuration`; the reference operator's controller_runtime_reconcile_time_seconds).",
    bucketed: true,
  },
  rest_client_request_latency: {
    better: "lower",
    title: "Operator → apiserver latency",
    unit: "ms",
    description:
      "The operator's own apiserver request latency, from rest_client_request_duration_seconds' change over the run, where its definition declares that metric.",
    bucketed: true,
  },
  // The control plane's /metrics (harness/measure/scrape).
  apiserver_request_latency: {
    better: "lower",
    title: "apiserver request latency",
    unit: "ms",
    description:
      "kube-apiserver's request latency by resource and verb, from apiserver_request_duration_seconds' buckets (resolution: the bucket bounds).",
    labels: ["resource", "verb"],
    bucketed: KUBE_APISERVER_REQUEST_BUCKETS_MS,
  },
  apiserver_object_count: {
    better: "neutral",
    title: "Objects stored (apiserver's count)",
    unit: "objects",
    description:
      "Series: the sdwan.patronus.io objects the apiserver reports stored (it refreshes about once a minute).",
  },
  etcd_db_size_bytes: {
    better: "lower",
    title: "etcd DB size",
    unit: "bytes",
    description: "Series: etcd's database size.",
  },
  object_count: {
    better: "neutral",
    title: "Objects",
    unit: "objects",
    description: "Series: Sites, Policies and Paths that exist, as the run's watches see them.",
  },
  sites_ready_total: {
    better: "neutral",
    title: "Sites Ready",
    unit: "objects",
    description:
      "Series: Sites whose create the watch has seen Ready so far (cumulative), sampled every second.",
  },
  paths_reporting: {
    better: "neutral",
    title: "Paths reporting",
    unit: "objects",
    description: "Series: expected tunnels whose Path reports a state, sampled every second.",
  },
  paths_expected: {
    better: "neutral",
    title: "Paths expected",
    unit: "objects",
    description:
      "Series: tunnels the live Sites imply under the mesh's topology (each should become a Path).",
  },
  mirrored_mesh_events: {
    better: "neutral",
    title: "Mesh events copied",
    unit: "count",
    description: "Mesh simulator events copied into the run's event log (faults always, others up to 500).",
  },
  // The mesh simulator's own benchmark (npm run bench:mesh; harness/mesh/bench).
  mesh_sites: {
    better: "neutral",
    title: "Mesh sites",
    unit: "sites",
    description: "bench:mesh: sites of the preloaded world.",
  },
  mesh_tunnels: {
    better: "neutral",
    title: "Mesh tunnels",
    unit: "tunnels",
    description: "bench:mesh: tunnels of the preloaded world.",
  },
  mesh_startup_rss_bytes: {
    better: "lower",
    title: "Mesh simulator RSS at start",
    unit: "bytes",
    description: "bench:mesh: the simulator's RSS once the world is loaded.",
  },
  mesh_rss_mean_bytes: {
    better: "lower",
    title: "Mesh simulator RSS (mean)",
    unit: "bytes",
    description: "bench:mesh: the simulator's mean RSS over the measured window.",
  },
  mesh_rss_largest_process_bytes: {
    better: "lower",
    title: "Largest mesh process RSS",
    unit: "bytes",
    description: "bench:mesh: the RSS of the largest simulator process (the router, when sharded).",
  },
  mesh_rss_series: {
    better: "neutral",
    title: "Mesh simulator RSS over time",
    unit: "bytes",
    description: "bench:mesh: the simulator's RSS, one point per second.",
  },
  telemetry_events: {
    better: "neutral",
    title: "Telemetry events",
    unit: "events",
    description: "bench:mesh: telemetry events the subscriber received.",
  },
  telemetry_bytes: {
    better: "neutral",
    title: "Telemetry bytes",
    unit: "bytes",
    description: "bench:mesh: bytes of telemetry the subscriber received.",
  },
  telemetry_tunnel_updates_per_second: {
    better: "neutral",
    title: "Tunnel updates per second",
    unit: "1/s",
    description: "bench:mesh: tunnel telemetry updates per second the subscriber received.",
  },
  telemetry_cursor_gaps: {
    better: "lower",
    title: "Telemetry cursor gaps",
    unit: "gaps",
    description:
      "bench:mesh: resumes whose cursor had fallen out of the window (the subscriber got a snapshot).",
  },
  // The command's --out sinks (harness/outputs), counted when they are closed at the end.
  output_samples_sent: {
    better: "neutral",
    title: "Samples sent to a sink",
    unit: "count",
    description:
      "Per --out sink: the samples (json/csv: lines) it delivered — written to its file, or accepted by the remote-write endpoint.",
    labels: ["sink", "target"],
  },
  output_samples_dropped: {
    better: "lower",
    title: "Samples a sink dropped",
    unit: "count",
    description:
      "Per --out sink: the samples it gave up on — its queue full, the endpoint refusing them, or still unsent at the end's deadline. The run's own figures do not depend on them.",
    labels: ["sink", "target"],
  },
};

export const METRIC_NAMES = Object.keys(METRIC_CATALOG);

/** Whether the metric's values are histogram bucket bounds, and the fixed bounds where known. */
export function bucketLayout(name: string): { bounds: readonly number[] } | undefined {
  const bucketed = METRIC_CATALOG[baseMetricName(name)]?.bucketed;
  if (bucketed === undefined) return undefined;
  return { bounds: bucketed === true ? [] : bucketed };
}

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

/** Whether the metric (labelled or not) is one of the cost counts. */
export function isCostCount(name: string): boolean {
  return METRIC_CATALOG[baseMetricName(name)]?.costCount === true;
}

export function metricTitle(name: string): string {
  return METRIC_CATALOG[baseMetricName(name)]?.title ?? baseMetricName(name);
}

/** The percentiles a latency's `{quantile="…"}` series are recorded at (MetricStore.flushWindows). */
export const SERIES_QUANTILES = [0.5, 0.9, 0.99] as const;

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

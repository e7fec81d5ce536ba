/**
 * The operator's Prometheus metrics, named and labelled as controller-runtime and client-go name
 * theirs so existing dashboards and the harness's scrapers work unchanged.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { QueueMetricsSink } from "../workqueue/queue.ts";

// controller-runtime's reconcile_time buckets and client-go's workqueue buckets (10^-8 … 10^1).
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5,
  1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
const QUEUE_BUCKETS = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10];
const REST_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

export function createMetrics(registry = new Registry()) {
  /** Per controller: ages in seconds of the keys being processed right now. */
  const inFlight = new Map<string, () => Iterable<number>>();
  /** Per controller: its queue's depth as last reported, read when scraped. */
  const depths = new Map<string, () => number>();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  // prom-client names these gauges *_total, which promtool (rightly) rejects; the per-type
  // series without the suffix carry the same information.
  for (const name of [
    "nodejs_active_handles_total",
    "nodejs_active_requests_total",
    "nodejs_active_resources_total",
  ]) {
    registry.removeSingleMetric(name);
  }
  const reg = [registry];
  const m = {
    registry,
    /** Lets the in-flight gauges read a controller's queue when scraped. */
    trackInFlight(controller: string, ages: () => Iterable<number>): void {
      inFlight.set(controller, ages);
    },
    /** Lets workqueue_depth read a controller's queue depth when scraped. */
    trackDepth(controller: string, depth: () => number): void {
      depths.set(controller, depth);
    },
    reconcileTotal: new Counter({
      name: "controller_runtime_reconcile_total",
      help: "Total number of reconciliations per controller",
      labelNames: ["controller", "result"],
      registers: reg,
    }),
    reconcileErrors: new Counter({
      name: "controller_runtime_reconcile_errors_total",
      help: "Total number of reconciliation errors per controller",
      labelNames: ["controller"],
      registers: reg,
    }),
    reconcileTime: new Histogram({
      name: "controller_runtime_reconcile_time_seconds",
      help: "Length of time per reconciliation per controller",
      labelNames: ["controller"],
      buckets: RECONCILE_BUCKETS,
      registers: reg,
    }),
    maxConcurrent: new Gauge({
      name: "controller_runtime_max_concurrent_reconciles",
      help: "Maximum number of concurrent reconciles per controller",
      labelNames: ["controller"],
      registers: reg,
    }),
    activeWorkers: new Gauge({
      name: "controller_runtime_active_workers",
      help: "Number of currently used workers per controller",
      labelNames: ["controller"],
      registers: reg,
    }),
    // Set at scrape time, not on every add and get: a scrape sees the same value either way.
    queueDepth: new Gauge({
      name: "workqueue_depth",
      help: "Current depth of workqueue",
      labelNames: ["name", "controller"],
      registers: reg,
      collect() {
        for (const [controller, depth] of depths) this.set({ name: controller, controller }, depth());
      },
    }),
    queueAdds: new Counter({
      name: "workqueue_adds_total",
      help: "Total number of adds handled by workqueue",
      labelNames: ["name", "controller"],
      registers: reg,
    }),
    queueDuration: new Histogram({
      name: "workqueue_queue_duration_seconds",
      help: "How long in seconds an item stays in workqueue before being requested",
      labelNames: ["name", "controller"],
      buckets: QUEUE_BUCKETS,
      registers: reg,
    }),
    workDuration: new Histogram({
      name: "workqueue_work_duration_seconds",
      help: "How long in seconds processing an item from workqueue takes",
      labelNames: ["name", "controller"],
      buckets: QUEUE_BUCKETS,
      registers: reg,
    }),
    queueRetries: new Counter({
      name: "workqueue_retries_total",
      help: "Total number of retries handled by workqueue",
      labelNames: ["name", "controller"],
      registers: reg,
    }),
    // Filled at scrape time from the registered queues (no timers): see trackInFlight.
    unfinishedWork: new Gauge({
      name: "workqueue_unfinished_work_seconds",
      help: "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads.",
      labelNames: ["name", "controller"],
      registers: reg,
      collect() {
        for (const [controller, ages] of inFlight) {
          let sum = 0;
          for (const a of ages()) sum += a;
          this.set({ name: controller, controller }, sum);
        }
      },
    }),
    longestRunning: new Gauge({
      name: "workqueue_longest_running_processor_seconds",
      help: "How many seconds has the longest running processor for workqueue been running.",
      labelNames: ["name", "controller"],
      registers: reg,
      collect() {
        for (const [controller, ages] of inFlight) {
          let max = 0;
          for (const a of ages()) max = Math.max(max, a);
          this.set({ name: controller, controller }, max);
        }
      },
    }),
    restRequests: new Counter({
      name: "rest_client_requests_total",
      help: "Number of HTTP requests, partitioned by status code, method, and host",
      labelNames: ["code", "method", "host"],
      registers: reg,
    }),
    restLatency: new Histogram({
      name: "rest_client_request_duration_seconds",
      help: "Request latency in seconds. Broken down by verb, and host",
      labelNames: ["verb", "host"],
      buckets: REST_BUCKETS,
      registers: reg,
    }),
    restRateLimiterLatency: new Histogram({
      name: "rest_client_rate_limiter_duration_seconds",
      help: "Client side rate limiter latency in seconds. Broken down by verb, and host",
      labelNames: ["verb", "host"],
      buckets: REST_BUCKETS,
      registers: reg,
    }),
    leaderStatus: new Gauge({
      name: "leader_election_master_status",
      help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease",
      labelNames: ["name"],
      registers: reg,
    }),
    informerRelists: new Counter({
      name: "patronus_operator_informer_lists_total",
      help: "Full LISTs per informer (initial sync, 410 Gone, restart after errors)",
      labelNames: ["resource", "reason"],
      registers: reg,
    }),
    informerWatchRestarts: new Counter({
      name: "patronus_operator_informer_watch_restarts_total",
      help: "Watch reconnects per informer by cause",
      labelNames: ["resource", "reason"],
      registers: reg,
    }),
    informerObjects: new Gauge({
      name: "patronus_operator_informer_objects",
      help: "Objects held in each informer's cache",
      labelNames: ["resource"],
      registers: reg,
    }),
    eventsEmitted: new Counter({
      name: "patronus_operator_events_total",
      help: "Kubernetes Events the operator recorded or dropped",
      labelNames: ["type", "outcome"],
      registers: reg,
    }),
  };
  return m;
}

export type OperatorMetrics = ReturnType<typeof createMetrics>;

export function queueMetricsFor(m: OperatorMetrics, controller: string): QueueMetricsSink {
  const labels = { name: controller, controller };
  // Pre-bind the label sets: the queue calls these on every add/get.
  let depth = 0;
  m.trackDepth(controller, () => depth);
  const adds = m.queueAdds.labels(labels);
  const retries = m.queueRetries.labels(labels);
  const queued = m.queueDuration.labels(labels);
  const worked = m.workDuration.labels(labels);
  adds.inc(0);
  retries.inc(0);
  return {
    add: () => adds.inc(),
    depth: (n) => {
      depth = n;
    },
    retry: () => retries.inc(),
    queued: (s) => queued.observe(s),
    worked: (s) => worked.observe(s),
  };
}

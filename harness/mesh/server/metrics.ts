/**
 * /metrics of the simulator (Prometheus text format). Its own Registry, so several simulators in
 * one process (tests) do not collide. Gauges are computed at scrape time: no cost per tick.
 * prom-client's default process and Node metrics are in it too.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface MeshGaugeSources {
  sites: () => number;
  tunnels: () => number;
  modeledTunnels: () => number;
  subscribers: () => number;
  cursor: () => number;
  activeFaults: () => number;
  ticks: () => number;
}

export class MeshMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"route" | "method" | "code">;
  private readonly observerRequests: Counter<"route" | "method" | "code">;
  private readonly duration: Histogram<"route">;
  private readonly aborted: Counter<"route" | "method">;
  private readonly callerRequests: Counter<"caller" | "route" | "method" | "code">;
  private readonly rateLimited: Counter<"caller">;
  private readonly partitioned: Counter<"caller">;
  /** Caller names seen, bounded so a client inventing names cannot grow the label set without end. */
  private readonly callers = new Set<string>();

  constructor(sources: MeshGaugeSources) {
    // process_cpu_seconds_total, process_resident_memory_bytes and the Node runtime's: how the
    // harness measures a simulator that is no process of its host (a pod of a remote cluster).
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: "mesh_http_requests_total",
      help: "HTTP requests served, by route pattern, method and status code",
      labelNames: ["route", "method", "code"],
      registers: [this.registry],
    });
    // The harness's own reads (lost_updates, failover checks) carry the observer header; counted
    // apart so mesh_http_requests_total stays the load of the clients under test.
    this.observerRequests = new Counter({
      name: "mesh_http_observer_requests_total",
      help: "HTTP requests from the harness's observer reads (X-Patronus-Observer), by route pattern, method and status code",
      labelNames: ["route", "method", "code"],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: "mesh_http_request_duration_seconds",
      help: "HTTP request handling time by route pattern",
      labelNames: ["route"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [this.registry],
    });
    this.aborted = new Counter({
      name: "mesh_http_requests_aborted_total",
      help: "Requests whose client hung up before the answer (never counted as a status code)",
      labelNames: ["route", "method"],
      registers: [this.registry],
    });
    this.callerRequests = new Counter({
      name: "patronus_api_requests_total",
      help: "Patronus API requests of clients under test by caller (the /c/<caller> prefix), route, method and status code (aborted, reset: no answer went out)",
      labelNames: ["caller", "route", "method", "code"],
      registers: [this.registry],
    });
    this.rateLimited = new Counter({
      name: "patronus_api_rate_limited_total",
      help: "Patronus API requests refused with 429 by the per-caller rate limit",
      labelNames: ["caller"],
      registers: [this.registry],
    });
    this.partitioned = new Counter({
      name: "patronus_api_partitioned_total",
      help: "Patronus API requests of a caller cut off by a partition fault (held or reset)",
      labelNames: ["caller"],
      registers: [this.registry],
    });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    gauge("mesh_sites", "Registered sites", sources.sites);
    gauge("mesh_tunnels", "Programmed tunnels", sources.tunnels);
    gauge("mesh_tunnels_modeled", "Programmed tunnels with telemetry", sources.modeledTunnels);
    gauge("mesh_telemetry_subscribers", "Open telemetry streams", sources.subscribers);
    gauge("mesh_telemetry_cursor", "Cursor of the last telemetry update", sources.cursor);
    gauge("mesh_active_faults", "Active injected faults", sources.activeFaults);
    gauge("mesh_ticks_total", "Telemetry ticks evaluated", sources.ticks);
  }

  /** The caller as a label: the first 256 distinct names as they are, later ones as "(other)". */
  private callerLabel(caller: string): string {
    if (this.callers.has(caller)) return caller;
    if (this.callers.size >= 256) return "(other)";
    this.callers.add(caller);
    return caller;
  }

  observeCallerRequest(caller: string, route: string, method: string, code: string): void {
    this.callerRequests.inc({ caller: this.callerLabel(caller), route, method, code });
  }

  observeAborted(route: string, method: string): void {
    this.aborted.inc({ route, method });
  }

  observeRateLimited(caller: string): void {
    this.rateLimited.inc({ caller: this.callerLabel(caller) });
  }

  observePartitioned(caller: string): void {
    this.partitioned.inc({ caller: this.callerLabel(caller) });
  }

  observeRequest(route: string, method: string, code: number, seconds: number, observer = false): void {
    if (observer) {
      this.observerRequests.inc({ route, method, code: String(code) });
      return;
    }
    this.requests.inc({ route, method, code: String(code) });
    this.duration.observe({ route }, seconds);
  }
}

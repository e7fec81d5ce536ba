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

  observeRequest(route: string, method: string, code: number, seconds: number, observer = false): void {
    if (observer) {
      this.observerRequests.inc({ route, method, code: String(code) });
      return;
    }
    this.requests.inc({ route, method, code: String(code) });
    this.duration.observe({ route }, seconds);
  }
}

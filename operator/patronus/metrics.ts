/** Patronus client and telemetry metrics, registered on the operator's registry. */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export function createPatronusMetrics(registry: Registry) {
  const registers = [registry];
  return {
    requests: new Counter({
      name: "patronus_client_requests_total",
      help: "Patronus API requests by method, route template and status code",
      labelNames: ["method", "route", "code"],
      registers,
    }),
    latency: new Histogram({
      name: "patronus_client_request_duration_seconds",
      help: "Patronus API request latency by method and route template",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    retries: new Counter({
      name: "patronus_client_retries_total",
      help: "Patronus API retries by route template and cause",
      labelNames: ["route", "reason"],
      registers,
    }),
    rejected: new Counter({
      name: "patronus_client_circuit_rejected_total",
      help: "Calls refused without a request because the circuit was open",
      registers,
    }),
    circuitState: new Gauge({
      name: "patronus_client_circuit_state",
      help: "Circuit breaker state: 0 closed, 1 half-open, 2 open",
      registers,
    }),
    circuitTransitions: new Counter({
      name: "patronus_client_circuit_transitions_total",
      help: "Circuit breaker state changes by target state",
      labelNames: ["state"],
      registers,
    }),
    streamConnected: new Gauge({
      name: "patronus_telemetry_stream_connected",
      help: "1 while the telemetry SSE stream is connected",
      registers,
    }),
    streamReconnects: new Counter({
      name: "patronus_telemetry_stream_reconnects_total",
      help: "Telemetry stream reconnects by cause",
      labelNames: ["reason"],
      registers,
    }),
    streamEvents: new Counter({
      name: "patronus_telemetry_events_total",
      help: "Telemetry stream events by type",
      labelNames: ["type"],
      registers,
    }),
    samples: new Counter({
      name: "patronus_telemetry_samples_total",
      help: "Tunnel telemetry samples received",
      registers,
    }),
    pathStatusWrites: new Counter({
      name: "patronus_path_status_writes_total",
      help: "Path status writes by outcome",
      labelNames: ["outcome"],
      registers,
    }),
    pathStatusSkipped: new Counter({
      name: "patronus_path_status_skipped_total",
      help: "Path reconciles that did not write status, by cause",
      labelNames: ["reason"],
      registers,
    }),
    reroutes: new Counter({
      name: "patronus_policy_reroutes_total",
      help: "Reroutes pushed to sites by outcome",
      labelNames: ["outcome"],
      registers,
    }),
  };
}

export type PatronusMetrics = ReturnType<typeof createPatronusMetrics>;

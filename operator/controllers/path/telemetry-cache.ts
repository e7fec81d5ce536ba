/**
 * The latest telemetry sample per tunnel, fed by the SSE stream. This is where coalescing starts:
 * many samples for a tunnel between two Path reconciles collapse into the newest one, and the
 * workqueue de-duplicates the key. Size is bounded by `maxTunnels`; samples for tunnels beyond it
 * are dropped (and counted) rather than growing memory.
 */
import type { TunnelTelemetry } from "../../../harness/mesh/api/contract.ts";
import type { TelemetryListener } from "../../patronus/telemetry-stream.ts";

export type SampleListener = (sample: TunnelTelemetry, previous: TunnelTelemetry | undefined) => void;

export class TelemetryCache implements TelemetryListener {
  private readonly latest = new Map<string, TunnelTelemetry>();
  private readonly listeners: SampleListener[] = [];
  private readonly maxTunnels: number;
  dropped = 0;

  constructor(maxTunnels = 250_000) {
    this.maxTunnels = maxTunnels;
  }

  get size(): number {
    return this.latest.size;
  }

  get(tunnelId: string): TunnelTelemetry | undefined {
    return this.latest.get(tunnelId);
  }

  onSample(listener: SampleListener): void {
    this.listeners.push(listener);
  }

  forget(tunnelId: string): void {
    this.latest.delete(tunnelId);
  }

  snapshot(tunnels: readonly TunnelTelemetry[]): void {
    const seen = new Set<string>();
    for (const t of tunnels) {
      seen.add(t.id);
      this.put(t);
    }
    // Tunnels the API no longer reports have no telemetry any more.
    for (const id of this.latest.keys()) if (!seen.has(id)) this.latest.delete(id);
  }

  update(tunnels: readonly TunnelTelemetry[]): void {
    for (const t of tunnels) this.put(t);
  }

  private put(t: TunnelTelemetry): void {
    const prev = this.latest.get(t.id);
    if (!prev && this.latest.size >= this.maxTunnels) {
      this.dropped++;
      return;
    }
    this.latest.set(t.id, t);
    for (const l of this.listeners) l(t, prev);
  }
}

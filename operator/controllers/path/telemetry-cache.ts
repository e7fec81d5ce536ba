/**
 * The latest telemetry sample per tunnel, fed by the SSE stream. This is where coalescing starts:
 * many samples for a tunnel between two Path reconciles collapse into the newest one, and the
 * workqueue de-duplicates the key. A tunnel's sample stays until the API says the tunnel is gone
 * (an update's `removed`, or a snapshot without it), not until its Path goes: a Site deleted and
 * re-created under the same name brings back the same tunnel ids, and the re-programmed tunnel's
 * first sample can arrive before the old Path's delete event — dropping it then left the new Path
 * without status until its telemetry next moved beyond tolerance, which on a steady link is never.
 * Size is bounded by `maxTunnels`; samples for tunnels beyond it are dropped (and counted) rather
 * than growing memory.
 */
import type { TunnelTelemetry } from "../../../contract/patronus-api/v1.ts";
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

  snapshot(tunnels: readonly TunnelTelemetry[]): void {
    const seen = new Set<string>();
    for (const t of tunnels) {
      seen.add(t.id);
      this.put(t);
    }
    // Tunnels the API no longer reports have no telemetry any more.
    for (const id of this.latest.keys()) if (!seen.has(id)) this.latest.delete(id);
  }

  /** `removed` first: an id in both was removed and re-added in the same update. */
  update(tunnels: readonly TunnelTelemetry[], removed: readonly string[] = []): void {
    for (const id of removed) this.latest.delete(id);
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

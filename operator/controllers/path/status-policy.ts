/**
 * When a Path's status is worth a write. The busiest write path of the operator: telemetry ticks
 * every second for thousands of tunnels, but a status write is only made on a state change or a
 * move beyond the tolerances below, so steady noise costs no apiserver writes.
 */
import type { TunnelTelemetry } from "../../../contract/patronus-api/v1.ts";

export interface Tolerance {
  /** A latency change counts when it exceeds max(latencyMs, latencyRatio × previous). */
  latencyMs: number;
  latencyRatio: number;
  jitterMs: number;
  lossPercent: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { latencyMs: 5, latencyRatio: 0.2, jitterMs: 5, lossPercent: 1 };

export interface PathStatusValues {
  state?: string;
  latencyMs?: number;
  jitterMs?: number;
  lossPercent?: number;
}

export type WriteDecision = { write: true; reason: "first" | "state" | "metrics" } | { write: false };

export function statusWriteDecision(
  current: PathStatusValues | undefined,
  sample: TunnelTelemetry,
  tol: Tolerance = DEFAULT_TOLERANCE,
): WriteDecision {
  if (!current || current.state === undefined || current.state === "Unknown")
    return { write: true, reason: "first" };
  if (current.state !== sample.state) return { write: true, reason: "state" };
  const lat = current.latencyMs ?? 0;
  if (Math.abs(sample.latencyMs - lat) > Math.max(tol.latencyMs, tol.latencyRatio * lat))
    return { write: true, reason: "metrics" };
  if (Math.abs(sample.jitterMs - (current.jitterMs ?? 0)) > tol.jitterMs)
    return { write: true, reason: "metrics" };
  if (Math.abs(sample.lossPercent - (current.lossPercent ?? 0)) > tol.lossPercent)
    return { write: true, reason: "metrics" };
  return { write: false };
}

/** Rounded so tiny float noise never shows as a diff. */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

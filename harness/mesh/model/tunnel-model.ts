/**
 * How a tunnel's health follows from its two links: latency adds up (plus the inter-region path),
 * jitter adds in quadrature, loss compounds, and the state is Down when either end is down or loss
 * makes it useless, Degraded when it strays well past its own baseline.
 */
import type { TunnelState } from "../../../contract/patronus-api/v1.ts";

export const STATE_NONE = 0;
export const STATE_UP = 1;
export const STATE_DEGRADED = 2;
export const STATE_DOWN = 3;
export const STATE_NAMES: readonly (TunnelState | undefined)[] = [undefined, "Up", "Degraded", "Down"];

export const DEGRADED_LATENCY_FACTOR = 1.5;
export const DEGRADED_LOSS_PERCENT = 1;
export const DEGRADED_JITTER_MS = 30;
export const DOWN_LOSS_PERCENT = 50;

export function combineLoss(lossA: number, lossB: number): number {
  const l = 100 * (1 - (1 - Math.min(lossA, 100) / 100) * (1 - Math.min(lossB, 100) / 100));
  return Math.min(l, 100);
}

export function tunnelStateCode(
  latencyMs: number,
  jitterMs: number,
  lossPercent: number,
  baselineLatencyMs: number,
  endDown: boolean,
): number {
  if (endDown || lossPercent >= DOWN_LOSS_PERCENT) return STATE_DOWN;
  if (
    lossPercent >= DEGRADED_LOSS_PERCENT ||
    jitterMs >= DEGRADED_JITTER_MS ||
    latencyMs >= baselineLatencyMs * DEGRADED_LATENCY_FACTOR
  ) {
    return STATE_DEGRADED;
  }
  return STATE_UP;
}

/**
 * The per-link model of latency, jitter and loss over time: a baseline drawn once from the link's
 * key, slow noise that re-draws every NOISE_PERIOD_TICKS (staggered per link so only a small share
 * of links moves on any tick — that is what keeps the telemetry stream to changes), and rare
 * congestion events. Everything is a pure function of (key, tick): same seed, same series.
 */
import type { LinkType } from "../../../contract/patronus-api/v1.ts";
import { mix, unit } from "./random.ts";

export const LINK_TYPE_CODES: Record<LinkType, number> = { mpls: 0, internet: 1, lte: 2 };
export const LINK_TYPES: readonly LinkType[] = ["mpls", "internet", "lte"];

interface Profile {
  latency: [number, number];
  jitter: [number, number];
  loss: [number, number];
}

/**
 * One-way contribution of the access link; a tunnel adds both ends plus the inter-region path.
 * Ranges are chosen so noise alone never crosses the Degraded thresholds (tunnel-model.ts):
 * only events and faults change a tunnel's state.
 */
const PROFILES: readonly Profile[] = [
  { latency: [6, 20], jitter: [0.3, 1.5], loss: [0, 0.05] },
  { latency: [12, 40], jitter: [1.5, 6], loss: [0.01, 0.15] },
  { latency: [30, 70], jitter: [4, 12], loss: [0.05, 0.3] },
];

export const NOISE_PERIOD_TICKS = 30;
/** Congestion events are decided per block of ticks, so an event has a start and a length. */
export const EVENT_BLOCK_TICKS = 60;

export interface LinkBaseline {
  latencyMs: number;
  jitterMs: number;
  lossPercent: number;
}

export interface LinkSample extends LinkBaseline {}

function between(range: [number, number], u: number): number {
  return range[0] + (range[1] - range[0]) * u;
}

export function linkBaseline(key: number, typeCode: number): LinkBaseline {
  const p = PROFILES[typeCode] ?? PROFILES[1]!;
  return {
    latencyMs: between(p.latency, unit(key, 1)),
    jitterMs: between(p.jitter, unit(key, 2)),
    lossPercent: between(p.loss, unit(key, 3)),
  };
}

/**
 * The sample of one link at a tick, before faults. `eventProbability` is the chance that a link
 * has a congestion event in a given block of EVENT_BLOCK_TICKS ticks.
 */
export function sampleLink(
  key: number,
  base: LinkBaseline,
  tick: number,
  eventProbability: number,
  out: LinkSample,
): LinkSample {
  const phase = key % NOISE_PERIOD_TICKS;
  const epoch = Math.floor((tick + phase) / NOISE_PERIOD_TICKS);
  const n = mix(key, epoch);
  const u1 = (n & 0xffff) / 65536;
  const u2 = (n >>> 16) / 65536;
  let latency = base.latencyMs * (0.9 + 0.2 * u1);
  let jitter = base.jitterMs * (0.75 + 0.5 * u2);
  let loss = base.lossPercent * (0.5 + u1);
  if (eventProbability > 0) {
    const shifted = tick + (key % EVENT_BLOCK_TICKS);
    const block = Math.floor(shifted / EVENT_BLOCK_TICKS);
    const e = mix(key ^ 0x5bd1e995, block);
    if (e / 4294967296 < eventProbability) {
      const length = 5 + (e % 20);
      if (shifted % EVENT_BLOCK_TICKS < length) {
        const severity = unit(e, 7);
        latency += base.latencyMs * (0.8 + 1.2 * severity);
        jitter *= 3;
        loss += 1 + 5 * severity;
      }
    }
  }
  out.latencyMs = latency;
  out.jitterMs = jitter;
  out.lossPercent = loss;
  return out;
}

/** Extra one-way delay between two regions (0 inside a region), symmetric. */
export function regionDelayMs(regionKeyA: number, regionKeyB: number): number {
  if (regionKeyA === regionKeyB) return 0;
  const lo = Math.min(regionKeyA, regionKeyB);
  const hi = Math.max(regionKeyA, regionKeyB);
  return 5 + 55 * unit(lo, hi);
}

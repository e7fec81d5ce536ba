/**
 * Arrival schedules for k6's open-model executors. A schedule yields the intended start time of
 * each iteration (ms since the phase started), computed from the rate profile alone — never
 * from when earlier iterations finished — which is what makes the model open and keeps latency
 * free of coordinated omission.
 *
 * Both executors are described by a piecewise-linear rate r(t). The i-th arrival is where the
 * cumulative rate ∫r reaches a target that grows by 1 per arrival (uniform) or by an
 * Exp(1) draw (Poisson: time-rescaling of a non-homogeneous Poisson process).
 */

import { exponential, type Random } from "../../random/seeded.ts";
import type { Executor } from "../../scenario/phases.ts";

export interface RateSegment {
  /** Segment length in ms. */
  durationMs: number;
  /** Rate at the segment's start and end, in arrivals per ms. */
  fromPerMs: number;
  toPerMs: number;
}

export function segmentsOf(executor: Executor): RateSegment[] {
  if (executor.type === "constant-arrival-rate") {
    const r = executor.rate / executor.timeUnit;
    return [{ durationMs: executor.duration, fromPerMs: r, toPerMs: r }];
  }
  const segments: RateSegment[] = [];
  let from = executor.startRate / executor.timeUnit;
  for (const stage of executor.stages) {
    const to = stage.target / executor.timeUnit;
    segments.push({ durationMs: stage.duration, fromPerMs: from, toPerMs: to });
    from = to;
  }
  return segments;
}

export function totalDurationMs(segments: readonly RateSegment[]): number {
  return segments.reduce((s, seg) => s + seg.durationMs, 0);
}

/** Expected number of arrivals: the area under the rate profile. */
export function expectedArrivals(segments: readonly RateSegment[]): number {
  return segments.reduce((s, seg) => s + ((seg.fromPerMs + seg.toPerMs) / 2) * seg.durationMs, 0);
}

/** The rate (per second) the profile asks for at time t. */
export function targetRateAt(segments: readonly RateSegment[], tMs: number): number {
  let start = 0;
  for (const seg of segments) {
    if (tMs < start + seg.durationMs) {
      const f = seg.durationMs === 0 ? 0 : (tMs - start) / seg.durationMs;
      return (seg.fromPerMs + (seg.toPerMs - seg.fromPerMs) * f) * 1000;
    }
    start += seg.durationMs;
  }
  return 0;
}

/**
 * Intended arrival offsets (ms), lazily. `random` is required for Poisson arrivals.
 */
export function* arrivals(segments: readonly RateSegment[], random?: Random): Generator<number> {
  const step = () => (random ? exponential(random) : 1);
  // Uniform arrivals are placed mid-interval (k6 starts the first at t=0); we start at 0 too.
  let target = random ? step() : 0;
  let area = 0;
  let start = 0;
  for (const seg of segments) {
    const a = seg.fromPerMs;
    const slope = seg.durationMs === 0 ? 0 : (seg.toPerMs - seg.fromPerMs) / seg.durationMs;
    const segArea = ((seg.fromPerMs + seg.toPerMs) / 2) * seg.durationMs;
    while (target < area + segArea - 1e-9) {
      const need = target - area;
      // Solve a·x + slope·x²/2 = need for x in [0, duration].
      const x =
        Math.abs(slope) < 1e-15 ? need / a : (-a + Math.sqrt(Math.max(0, a * a + 2 * slope * need))) / slope;
      yield start + Math.min(Math.max(x, 0), seg.durationMs);
      target += step();
    }
    area += segArea;
    start += seg.durationMs;
  }
}

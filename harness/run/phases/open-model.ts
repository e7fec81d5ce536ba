/**
 * Runs one open-model load phase: the executor's arrivals on the monotonic clock, the in-flight
 * cap, target_rate and achieved_rate points every second, dropped_iterations and load_errors
 * counted, request latency (from the intended start, no coordinated omission) in
 * load_request_latency, and injections scheduled `after` the phase start.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type OpenModelResult, runOpenModel } from "../../load/executor/run.ts";
import { arrivals, type RateSegment, targetRateAt, totalDurationMs } from "../../load/executor/schedule.ts";
import type { Injection } from "../../scenario/phases.ts";
import type { PhaseContext } from "../context.ts";

export interface OpenModelPhase {
  segments: RateSegment[];
  poisson: boolean;
  maxInFlight: number;
  iterate: () => Promise<void>;
  during?: ReadonlyArray<{ after: number; inject: Injection }>;
}

export async function driveOpenModel(ctx: PhaseContext, phase: OpenModelPhase): Promise<OpenModelResult> {
  const started = performance.now();
  let startedThisSecond = 0;
  let lastTick = started;
  const ticker = setInterval(() => {
    const at = performance.now();
    // A stalled event loop fires this late: divide by the real interval, not the nominal second.
    const seconds = (at - lastTick) / 1000;
    lastTick = at;
    const target = targetRateAt(phase.segments, at - started - (seconds * 1000) / 2);
    const achieved = seconds > 0 ? startedThisSecond / seconds : 0;
    ctx.store.point("target_rate", round(target), "ops/s", at);
    ctx.store.point("achieved_rate", round(achieved), "ops/s", at);
    ctx.progress.rate(target, Math.round(achieved));
    startedThisSecond = 0;
  }, 1000);
  const injections = Promise.allSettled(
    (phase.during ?? []).map(async ({ after, inject }) => {
      await sleep(after, undefined, { signal: ctx.signal }).catch(() => {});
      if (!ctx.signal.aborted) await ctx.inject(inject);
    }),
  );
  try {
    const result = await runOpenModel({
      schedule: arrivals(phase.segments, phase.poisson ? ctx.random : undefined),
      maxInFlight: phase.maxInFlight,
      signal: ctx.signal,
      iterate: () => {
        startedThisSecond++;
        return phase.iterate();
      },
      onDone: (_it, latencyMs, error) => {
        ctx.store.record("load_request_latency", latencyMs);
        if (error) {
          ctx.store.count("load_errors");
          if (ctx.store.counterValue("load_errors") <= 5) {
            ctx.events.record("load.error", "load-driver", {
              error: String((error as Error)?.message ?? error),
            });
          }
        }
      },
    });
    ctx.store.count("dropped_iterations", result.dropped);
    ctx.store.count("iterations", result.started);
    ctx.events.record("load.summary", "load-driver", {
      scheduled: result.scheduled,
      started: result.started,
      dropped: result.dropped,
      failed: result.failed,
      plannedSeconds: totalDurationMs(phase.segments) / 1000,
      elapsedSeconds: round(result.elapsedMs / 1000),
      maxStartLagMs: round(result.maxStartLagMs),
    });
    // Settled, not awaited one by one: an injection that fails while the load runs must fail the
    // phase once the load is done, not end the process as an unhandled rejection.
    clearInterval(ticker);
    const failed = (await injections).find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    return result;
  } finally {
    clearInterval(ticker);
    await injections;
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/**
 * Drives an arrival schedule in real time on the monotonic clock. Each timer wakes at the next
 * due arrival computed from the phase start (not from the previous wake-up), so delays do not
 * accumulate; arrivals that came due while the event loop was busy start at once. When
 * `maxInFlight` iterations are running an arrival is dropped and counted, as k6 counts
 * dropped_iterations when no VU is free. Latency is measured from the intended start.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface Iteration {
  index: number;
  /** performance.now() at which this iteration was meant to start. */
  intendedStart: number;
}

export interface OpenModelOptions {
  schedule: Iterable<number>;
  maxInFlight: number;
  iterate: (it: Iteration) => Promise<void>;
  /** Called when an iteration settles: latency from intended start, and its error if any. */
  onDone?: (it: Iteration, latencyMs: number, error: unknown) => void;
  onDropped?: (it: Iteration) => void;
  signal?: AbortSignal;
  /** Wait this long at most for in-flight iterations after the last arrival. */
  drainTimeoutMs?: number;
}

export interface OpenModelResult {
  scheduled: number;
  started: number;
  dropped: number;
  failed: number;
  completed: number;
  /** Iterations still running when the drain timeout ended. */
  unfinished: number;
  /** Largest lateness of a start against its intended time (ms): the scheduler's own drift. */
  maxStartLagMs: number;
  elapsedMs: number;
}

export async function runOpenModel(options: OpenModelOptions): Promise<OpenModelResult> {
  const origin = performance.now();
  const inFlight = new Set<Promise<void>>();
  const result: OpenModelResult = {
    scheduled: 0,
    started: 0,
    dropped: 0,
    failed: 0,
    completed: 0,
    unfinished: 0,
    maxStartLagMs: 0,
    elapsedMs: 0,
  };

  for (const offset of options.schedule) {
    if (options.signal?.aborted) break;
    const intendedStart = origin + offset;
    const wait = intendedStart - performance.now();
    if (wait > 1) await sleep(wait, undefined, { signal: options.signal }).catch(() => {});
    if (options.signal?.aborted) break;
    const it: Iteration = { index: result.scheduled++, intendedStart };
    if (inFlight.size >= options.maxInFlight) {
      result.dropped++;
      options.onDropped?.(it);
      continue;
    }
    result.started++;
    result.maxStartLagMs = Math.max(result.maxStartLagMs, performance.now() - intendedStart);
    const p: Promise<void> = options
      .iterate(it)
      .then(
        () => {
          result.completed++;
          options.onDone?.(it, performance.now() - intendedStart, undefined);
        },
        (err: unknown) => {
          result.failed++;
          options.onDone?.(it, performance.now() - intendedStart, err);
        },
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  const drain = Promise.allSettled([...inFlight]);
  const timeout = options.drainTimeoutMs ?? 30_000;
  await Promise.race([drain, sleep(timeout, undefined, { ref: false })]);
  result.unfinished = inFlight.size;
  result.elapsedMs = performance.now() - origin;
  return result;
}

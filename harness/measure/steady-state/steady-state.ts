/**
 * The run's quiet end: after the phases, a window (the scenario's `steadyState.window`) in which
 * the harness changes nothing, and what the operator does meanwhile, per object per minute:
 *   steady_state_patronus_calls_per_object_per_minute — Patronus API calls (the simulator's
 *     per-caller counts, else its request counter);
 *   steady_state_apiserver_writes_per_object_per_minute — apiserver writes (create, update,
 *     patch, delete; status included) to the objects the harness made (its Sites and Policies),
 *     from the apiserver's own request counters; `{resource="…"}` for each of the operator's kinds.
 * A well-behaved operator's figures are near zero; one that hot-loops or floods shows here. The
 * objects are the run's live Sites and Policies at the window's start.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { KindSpec } from "../../operators/definition.ts";
import type { MeasurementContext } from "../measurement.ts";
import { increase } from "../prometheus/counters.ts";
import { parsePrometheusText } from "../prometheus/parse.ts";
import { fetchFromApiserver } from "../scrape/fetch-text.ts";
import { perObjectPerMinute, writesByResource } from "./rates.ts";

async function patronusCalls(ctx: MeasurementContext): Promise<number | undefined> {
  try {
    const counts = await ctx.mesh.callerCounts?.();
    if (counts) return Object.values(counts.requests).reduce((s, n) => s + n, 0);
    return await ctx.mesh.requestCount?.();
  } catch {
    return undefined;
  }
}

async function apiserverWrites(
  ctx: MeasurementContext,
  resources: ReadonlyArray<{ group: string; plural: string }>,
): Promise<Map<string, number> | undefined> {
  try {
    // ~3 MB of text; an apiserver busy with a flooding operator takes its time to render it.
    const text = await fetchFromApiserver(ctx.kc, "/metrics", 30_000);
    return writesByResource(parsePrometheusText(text, ["apiserver_request_total"]).samples, resources);
  } catch {
    return undefined;
  }
}

export async function measureSteadyState(
  ctx: MeasurementContext,
  windowMs: number,
  signal: AbortSignal,
  /** Requests not yet observed done when the window starts (the run did not settle). */
  outstanding = 0,
): Promise<void> {
  const kinds = Object.values(ctx.kinds).filter((k): k is KindSpec => k !== undefined);
  const resources = kinds.map((k) => ({ group: k.group, plural: k.plural }));
  const created = new Set([ctx.kinds.Site.plural, ...(ctx.kinds.Policy ? [ctx.kinds.Policy.plural] : [])]);
  const objects = ctx.ledger.liveCount("site") + ctx.ledger.liveCount("policy");
  const callsBefore = await patronusCalls(ctx);
  const writesBefore = await apiserverWrites(ctx, resources);
  const started = performance.now();
  await sleep(windowMs, undefined, { signal }).catch(() => {});
  const elapsed = performance.now() - started;
  const callsAfter = await patronusCalls(ctx);
  const writesAfter = await apiserverWrites(ctx, resources);
  const detail: Record<string, unknown> = {
    windowSeconds: Math.round(elapsed) / 1000,
    objects,
    ...(outstanding > 0 ? { outstanding } : {}),
  };
  if (callsBefore !== undefined && callsAfter !== undefined) {
    const calls = Math.max(0, callsAfter - callsBefore);
    detail.patronusCalls = calls;
    const rate = perObjectPerMinute(calls, objects, elapsed);
    if (rate !== undefined)
      ctx.store.gauge("steady_state_patronus_calls_per_object_per_minute", rate, "1/min");
  }
  if (writesBefore && writesAfter) {
    const writes = increase(writesBefore, writesAfter);
    detail.apiserverWrites = Object.fromEntries(writes);
    let ofCreated = 0;
    for (const [plural, n] of writes) {
      if (created.has(plural)) ofCreated += n;
      const rate = perObjectPerMinute(n, objects, elapsed);
      if (rate !== undefined)
        ctx.store.gauge(
          `steady_state_apiserver_writes_per_object_per_minute{resource="${plural}"}`,
          rate,
          "1/min",
        );
    }
    const rate = perObjectPerMinute(ofCreated, objects, elapsed);
    if (rate !== undefined)
      ctx.store.gauge("steady_state_apiserver_writes_per_object_per_minute", rate, "1/min");
  }
  ctx.events.record("steady-state", "steady-state", detail);
}

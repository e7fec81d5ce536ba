/** Runs one phase by kind, bracketed by phase marks in the run's events and results. */
import { type Phase, phaseName } from "../../scenario/phases.ts";
import type { PhaseContext } from "../context.ts";
import { runChurn } from "./churn.ts";
import { runCreate } from "./create.ts";
import { runHttpLoad } from "./http-load.ts";
import { runInject } from "./inject.ts";
import { runLoad } from "./load.ts";
import { runSleep } from "./sleep.ts";
import { runWaitFor } from "./wait-for.ts";

export interface PhaseRecord {
  name: string;
  kind: string;
  startedAt: number;
  finishedAt: number;
}

export { phaseName };

export async function runPhase(ctx: PhaseContext, phase: Phase, index: number): Promise<PhaseRecord> {
  const name = phaseName(phase, index);
  const startedAt = ctx.store.elapsedSeconds();
  ctx.progress.phase(name, phase.kind);
  if (phase.kind !== "wait-for" && phase.kind !== "sleep") ctx.timeline.actionStartedAt = performance.now();
  ctx.events.record("phase.start", "harness", { name, kind: phase.kind });
  switch (phase.kind) {
    case "create":
      await runCreate(ctx, phase);
      break;
    case "churn":
      await runChurn(ctx, phase);
      break;
    case "load":
      await runLoad(ctx, phase);
      break;
    case "wait-for":
      await runWaitFor(ctx, phase);
      break;
    case "inject":
      await runInject(ctx, phase);
      break;
    case "sleep":
      await runSleep(ctx, phase);
      break;
    case "http-load":
      await runHttpLoad(ctx, phase);
      break;
  }
  ctx.events.record("phase.end", "harness", { name, kind: phase.kind });
  return { name, kind: phase.kind, startedAt, finishedAt: ctx.store.elapsedSeconds() };
}

/**
 * The run's quiet end (scenario `steadyState.window`): nothing changes while what the operator
 * still does is counted (harness/measure/steady-state), recorded like a phase.
 */
export async function runSteadyState(
  ctx: PhaseContext,
  windowMs: number,
  /** The measurement of the window (harness/measure/steady-state), given by the run. */
  measure: (windowMs: number) => Promise<void>,
): Promise<PhaseRecord> {
  const name = "steady-state";
  const startedAt = ctx.store.elapsedSeconds();
  ctx.progress.phase(name, name);
  ctx.events.record("phase.start", "harness", { name, kind: name });
  await measure(windowMs);
  ctx.events.record("phase.end", "harness", { name, kind: name });
  return { name, kind: name, startedAt, finishedAt: ctx.store.elapsedSeconds() };
}

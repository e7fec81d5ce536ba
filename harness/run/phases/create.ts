/**
 * create: `count` new objects, either at a fixed rate (open model, drops counted) or as a burst
 * limited only by `maxInFlight` (a worker pool: every object is created, as fast as allowed).
 */
import { createObject } from "../../load/operations.ts";
import type { Phase } from "../../scenario/phases.ts";
import type { PhaseContext } from "../context.ts";
import { driveOpenModel } from "./open-model.ts";

type CreatePhase = Extract<Phase, { kind: "create" }>;

export async function runCreate(ctx: PhaseContext, phase: CreatePhase): Promise<void> {
  const create = async () => {
    if (!(await createObject(ctx, phase.object, phase.template))) ctx.store.count("create_skipped");
  };
  if (phase.rate !== undefined) {
    const perMs = phase.rate / 1000;
    await driveOpenModel(ctx, {
      segments: [{ durationMs: phase.count / perMs, fromPerMs: perMs, toPerMs: perMs }],
      poisson: false,
      maxInFlight: phase.maxInFlight,
      iterate: create,
    });
    return;
  }
  let next = 0;
  let errors = 0;
  const worker = async () => {
    while (next < phase.count && !ctx.signal.aborted) {
      next++;
      try {
        await create();
      } catch (err) {
        errors++;
        ctx.store.count("load_errors");
        if (errors <= 5)
          ctx.events.record("load.error", "create", { error: String((err as Error).message ?? err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(phase.maxInFlight, phase.count) }, worker));
}

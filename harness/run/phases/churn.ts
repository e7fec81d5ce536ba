/**
 * churn, in kube-burner's terms: `cycles` times, take `percent` of the live objects and apply the
 * operation mix to them at `rate` ops/s; deleted objects are re-created once gone (so the
 * population is stable across cycles); then wait `delay`.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createObject, deleteObject, pickOperation, updateObject } from "../../load/operations.ts";
import type { Phase } from "../../scenario/phases.ts";
import type { PhaseContext } from "../context.ts";
import { driveOpenModel } from "./open-model.ts";

type ChurnPhase = Extract<Phase, { kind: "churn" }>;

function shuffled<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export async function runChurn(ctx: PhaseContext, phase: ChurnPhase): Promise<void> {
  const perMs = phase.rate / 1000;
  for (let cycle = 0; cycle < phase.cycles && !ctx.signal.aborted; cycle++) {
    const live = shuffled([...ctx.ledger.liveNames(phase.object)], ctx.random);
    const chosen = live.slice(0, Math.max(1, Math.round((live.length * phase.percent) / 100)));
    const deleted: string[] = [];
    let i = 0;
    ctx.events.record("churn.cycle", "churn", { cycle: cycle + 1, objects: chosen.length });
    await driveOpenModel(ctx, {
      segments: [{ durationMs: chosen.length / perMs, fromPerMs: perMs, toPerMs: perMs }],
      poisson: false,
      maxInFlight: phase.maxInFlight,
      during: cycle === 0 ? phase.during : [],
      iterate: async () => {
        const name = chosen[i++];
        if (name === undefined) return;
        const op = pickOperation(phase.mix, ctx.random);
        if (op === "delete" || op === "create") {
          // In a churn cycle "create" means replace: delete now, re-create when gone.
          if (await deleteObject(ctx, phase.object, name)) deleted.push(name);
        } else await updateObject(ctx, phase.object, name, phase.template);
      },
    });
    if (deleted.length > 0) {
      await ctx.waitFor({ object: phase.object, state: "gone" }, 60_000);
      await driveOpenModel(ctx, {
        segments: [{ durationMs: deleted.length / perMs, fromPerMs: perMs, toPerMs: perMs }],
        poisson: false,
        maxInFlight: phase.maxInFlight,
        iterate: async () => {
          const name = deleted.shift();
          if (name !== undefined) await createObject(ctx, phase.object, phase.template, name);
        },
      });
    }
    if (phase.delay > 0) await sleep(phase.delay, undefined, { signal: ctx.signal }).catch(() => {});
  }
}

/** inject: one fault or failover action, then `settle` for its effect to be measured. */
import { setTimeout as sleep } from "node:timers/promises";
import type { Phase } from "../../scenario/phases.ts";
import type { PhaseContext } from "../context.ts";

export async function runInject(ctx: PhaseContext, phase: Extract<Phase, { kind: "inject" }>): Promise<void> {
  await ctx.inject(phase.inject);
  if (phase.settle > 0) await sleep(phase.settle, undefined, { signal: ctx.signal }).catch(() => {});
}

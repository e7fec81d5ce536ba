import { setTimeout as sleep } from "node:timers/promises";
import type { Phase } from "../../scenario/phases.ts";
import type { PhaseContext } from "../context.ts";

export async function runSleep(ctx: PhaseContext, phase: Extract<Phase, { kind: "sleep" }>): Promise<void> {
  await sleep(phase.duration, undefined, { signal: ctx.signal }).catch(() => {});
}

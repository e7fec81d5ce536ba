import { setTimeout as sleep } from "node:timers/promises";
import type { Phase } from "../../scenario/phases.ts";
import type { RunContext } from "../context.ts";

export async function runSleep(ctx: RunContext, phase: Extract<Phase, { kind: "sleep" }>): Promise<void> {
  await sleep(phase.duration, undefined, { signal: ctx.signal }).catch(() => {});
}

/** load: k6's open-model executors driving the operation mix (see harness/load/executor). */
import { segmentsOf } from "../../load/executor/schedule.ts";
import { mixedOperation } from "../../load/operations.ts";
import type { Phase } from "../../scenario/phases.ts";
import type { PhaseContext } from "../context.ts";
import { driveOpenModel } from "./open-model.ts";

type LoadPhase = Extract<Phase, { kind: "load" }>;

export async function runLoad(ctx: PhaseContext, phase: LoadPhase): Promise<void> {
  await driveOpenModel(ctx, {
    segments: segmentsOf(phase.executor),
    poisson: phase.arrivals === "poisson",
    maxInFlight: phase.maxInFlight,
    during: phase.during,
    iterate: async () => {
      const op = await mixedOperation(ctx, phase.object, phase.mix, phase.template);
      ctx.store.count(op ? `ops_${op}` : "ops_skipped");
    },
  });
}

/**
 * Tracking Patronus operations until the API reports them converged: the policy apply (→ Applied
 * condition, appliedAt) and reroutes (→ status.reroutes, Events).
 */
import type { Policy, PolicyStatus } from "../../api/v1alpha1/types.ts";
import { setCondition } from "../../runtime/conditions/conditions.ts";
import type { OperatorContext } from "../context.ts";
import type { PendingReroute } from "./router.ts";

export interface OperationMemory {
  sitesKey?: string;
  applyOp?: string;
  reroutes: number;
  pending: Map<string, PendingReroute>;
}

/** Polls the apply operation; sets Applied=True with appliedAt = convergedAt when the API reports it. */
export async function trackApply(
  ctx: OperatorContext,
  policy: Policy,
  st: PolicyStatus,
  mem: OperationMemory,
  opId: string,
): Promise<void> {
  const op = await ctx.patronus.getOperation(opId);
  const generation = policy.metadata.generation ?? 0;
  if (!op) {
    // The API forgot the operation (restarted): apply again on the next pass.
    mem.sitesKey = undefined;
    mem.applyOp = undefined;
    return;
  }
  if (op.convergedAt) {
    mem.applyOp = undefined;
    st.appliedAt = op.convergedAt;
    st.conditions = setCondition(st.conditions, {
      type: "Applied",
      status: "True",
      reason: "Converged",
      message: `operation ${op.id} converged at ${op.convergedAt}`,
      observedGeneration: generation,
    });
    ctx.recorder.record(
      policy,
      "Normal",
      "Applied",
      "Apply",
      `operation ${op.id} converged on ${op.sites.length} sites`,
    );
  } else if (op.state === "Failed") {
    mem.applyOp = undefined;
    st.conditions = setCondition(st.conditions, {
      type: "Applied",
      status: "False",
      reason: "ApplyFailed",
      message: op.message ?? `operation ${op.id} failed`,
      observedGeneration: generation,
    });
    ctx.recorder.record(policy, "Warning", "ApplyFailed", "Apply", op.message ?? `operation ${op.id} failed`);
  } else {
    mem.applyOp = op.id;
  }
}

/** Polls pending reroute operations; a converged one counts in status.reroutes. */
export async function trackReroutes(
  ctx: OperatorContext,
  policy: Policy,
  mem: OperationMemory,
): Promise<void> {
  for (const r of [...mem.pending.values()]) {
    const op = await ctx.patronus.getOperation(r.opId);
    if (op && !op.convergedAt && op.state !== "Failed") continue;
    mem.pending.delete(r.opId);
    if (op?.convergedAt) {
      mem.reroutes++;
      ctx.patronusMetrics.reroutes.inc({ outcome: "converged" });
      ctx.recorder.record(
        policy,
        "Normal",
        "RerouteConverged",
        "Reroute",
        `site ${r.site} now on ${r.to} (converged at ${op.convergedAt})`,
      );
    } else {
      ctx.patronusMetrics.reroutes.inc({ outcome: "failed" });
      ctx.recorder.record(
        policy,
        "Warning",
        "RerouteFailed",
        "Reroute",
        `site ${r.site}: operation ${r.opId} ${op ? "failed" : "is unknown to the API"}`,
      );
    }
  }
}

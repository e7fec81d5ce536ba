/**
 * Control-plane failover: restart kube-apiserver or etcd (embedded or kind). controlplane_recovery
 * runs from the component being healthy again to the operator having caught up: a probe change
 * to a live Site, made right after, observed in its status (observedGeneration and Ready).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { SITE } from "../../../contract/reference-crds/v1alpha1.ts";
import { updateObject } from "../../load/operations.ts";
import type { Injection } from "../../scenario/phases.ts";
import type { InjectionOutcome } from "../context.ts";
import type { ControlContext } from "./index.ts";

type ControlPlaneAction = Extract<Injection, { target: "controlplane"; action: "restart" }>;

export async function injectControlPlaneRestart(
  ctx: ControlContext,
  action: ControlPlaneAction,
): Promise<InjectionOutcome> {
  const at = performance.now();
  ctx.events.record("component.restart", "harness", { component: action.component }, at);
  const how = await ctx.cluster.restartComponent(action.component);
  const back = performance.now();
  ctx.events.record(
    "component.recovered",
    "harness",
    { component: action.component, downSeconds: (back - at) / 1000, how },
    back,
  );
  const deadline = back + 120_000;
  // The probe must be a change of ours: a Site the load driver holds (busy) is skipped, and a
  // failed write is retried, else the operator would be timed against a generation it had already
  // observed before the restart.
  let probe: string | undefined;
  while (!probe && performance.now() < deadline && !ctx.signal.aborted) {
    const idle = [...ctx.ledger.liveNames("site")].find((n) => !ctx.ledger.get("site", n)?.busy);
    if (!idle) return {};
    try {
      if (await updateObject(ctx, "site", idle)) probe = idle;
    } catch {
      await sleep(200); // the apiserver may still be settling after an etcd restart
    }
  }
  if (!probe) {
    ctx.store.count("controlplane_recovery_missed");
    return {};
  }
  const generation = ctx.ledger.get("site", probe)?.generation ?? 1;
  while (performance.now() < deadline && !ctx.signal.aborted) {
    const obj = await ctx.objects.read(SITE.kind, ctx.namespace, probe).catch(() => undefined);
    const status = obj?.status as
      | { observedGeneration?: number; conditions?: Array<{ type: string; status: string }> }
      | undefined;
    if (
      (status?.observedGeneration ?? 0) >= generation &&
      status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")
    ) {
      const ms = performance.now() - back;
      ctx.store.record("controlplane_recovery", ms);
      ctx.events.record("operator.caught-up", "harness", {
        component: action.component,
        probe,
        ms: Math.round(ms),
      });
      return { measuredMs: ms };
    }
    await sleep(100);
  }
  ctx.store.count("controlplane_recovery_missed");
  return {};
}

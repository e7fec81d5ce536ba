/**
 * lost_updates: after the phases, every object the run touched is compared with what the harness
 * last asked for (see desired-state.ts), in the cluster and in the mesh (registered sites, held
 * policies). The count is of objects whose desired state is not
 * realised — one lost update each, however many ways it disagrees (a Site whose change the
 * operator never applied is both behind in status and stale in the mesh, yet one lost change);
 * the first few are named in the events with every disagreement.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { POLICY, SITE } from "../../../operator/api/v1alpha1/constants.ts";
import type { CrObject } from "../../load/kube/client.ts";
import type { Measurement, MeasurementContext } from "../measurement.ts";
import type { MeshPolicyView } from "../targets.ts";
import { disagreements } from "./desired-state.ts";

export class LostUpdatesMeasurement implements Measurement {
  readonly name = "lost-updates";
  private readonly settleMs: number;

  constructor(settleMs = 15_000) {
    this.settleMs = settleMs;
  }

  async start(): Promise<void> {}

  async stop(ctx: MeasurementContext): Promise<void> {
    // Eventual consistency: a change still in flight is not lost. Re-check for a bounded while;
    // what still disagrees after that is.
    const deadline = performance.now() + this.settleMs;
    let lost = await this.check(ctx);
    while (lost.size > 0 && performance.now() < deadline) {
      await sleep(1000);
      lost = await this.check(ctx);
    }
    ctx.store.count("lost_updates", lost.size);
    if (lost.size > 0) {
      const first = [...lost].slice(0, 10).map(([key, problems]) => `${key}: ${problems.join("; ")}`);
      ctx.events.record("lost-updates", this.name, { count: lost.size, first });
    }
  }

  async check(ctx: MeasurementContext): Promise<Map<string, string[]>> {
    const cluster = new Map<string, CrObject>();
    for (const [kind, names] of [
      ["site", SITE],
      ["policy", POLICY],
    ] as const) {
      for (const obj of (await ctx.objects.list(names.kind, ctx.namespace)).items) {
        cluster.set(`${kind}/${obj.metadata?.name}`, obj);
      }
    }
    return disagreements(ctx.ledger.all(), cluster, await ctx.mesh.sites(), await this.meshPolicies(ctx));
  }

  /** The mesh's copy of each Policy the run touched (a run makes a handful), when the view can read them. */
  private async meshPolicies(ctx: MeasurementContext): Promise<Map<string, MeshPolicyView> | undefined> {
    if (!ctx.mesh.policy) return undefined;
    const held = new Map<string, MeshPolicyView>();
    for (const entry of ctx.ledger.all()) {
      if (entry.kind !== "policy") continue;
      const policy = await ctx.mesh.policy(entry.name);
      if (policy) held.set(entry.name, policy);
    }
    return held;
  }
}

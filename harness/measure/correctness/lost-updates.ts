/**
 * lost_updates: after the phases, every object the run touched is compared three ways — the
 * spec the harness last wrote (the ledger), what the cluster holds (spec, and status caught up
 * with metadata.generation), and what the mesh holds (registered site spec; deleted sites
 * deregistered). Each disagreement is one lost update; the first few are named in the events.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { isDeepStrictEqual } from "node:util";
import { POLICY, SITE } from "../../../operator/api/v1alpha1/constants.ts";
import type { CrObject } from "../../load/kube/client.ts";
import type { Measurement, MeasurementContext } from "../measurement.ts";

const READY: Record<string, string> = { site: "Ready", policy: "Applied" };

function siteShape(spec: Record<string, unknown> | undefined): unknown {
  if (!spec) return undefined;
  const links = ((spec.links as Array<Record<string, unknown>>) ?? [])
    .map((l) => ({ name: l.name, type: l.type, bandwidthMbps: l.bandwidthMbps, cost: l.cost }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return { region: spec.region, hub: spec.hub ?? false, links };
}

function conditionTrue(obj: CrObject, type: string): boolean {
  const conditions = (obj.status?.conditions as Array<{ type: string; status: string }> | undefined) ?? [];
  return conditions.some((c) => c.type === type && c.status === "True");
}

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
    let problems = await this.check(ctx);
    while (problems.length > 0 && performance.now() < deadline) {
      await sleep(1000);
      problems = await this.check(ctx);
    }
    ctx.store.count("lost_updates", problems.length);
    if (problems.length > 0)
      ctx.events.record("lost-updates", this.name, { count: problems.length, first: problems.slice(0, 10) });
  }

  async check(ctx: MeasurementContext): Promise<string[]> {
    const problems: string[] = [];
    const cluster = new Map<string, CrObject>();
    for (const [kind, names] of [
      ["site", SITE],
      ["policy", POLICY],
    ] as const) {
      for (const obj of (await ctx.objects.list(names.kind, ctx.namespace)).items) {
        cluster.set(`${kind}/${obj.metadata?.name}`, obj);
      }
    }
    const meshSites = await ctx.mesh.sites();
    for (const entry of ctx.ledger.all()) {
      const key = `${entry.kind}/${entry.name}`;
      const obj = cluster.get(key);
      if (entry.state !== "live") {
        if (obj && !obj.metadata?.deletionTimestamp)
          problems.push(`${key}: deleted but still in the cluster`);
        if (entry.kind === "site" && meshSites.has(entry.name))
          problems.push(`${key}: deleted but still registered in the mesh`);
        continue;
      }
      if (!obj) {
        problems.push(`${key}: missing from the cluster`);
        continue;
      }
      if (
        !isDeepStrictEqual(JSON.parse(JSON.stringify(obj.spec ?? {})), JSON.parse(JSON.stringify(entry.spec)))
      ) {
        if (entry.kind !== "site" || !isDeepStrictEqual(siteShape(obj.spec), siteShape(entry.spec))) {
          problems.push(`${key}: cluster spec differs from the last spec written`);
        }
      }
      const generation = obj.metadata?.generation ?? 0;
      if (
        Number(obj.status?.observedGeneration ?? 0) < generation ||
        !conditionTrue(obj, READY[entry.kind] ?? "Ready")
      ) {
        problems.push(
          `${key}: status not caught up (generation ${generation}, observed ${obj.status?.observedGeneration ?? "none"})`,
        );
      }
      if (entry.kind === "site") {
        const held = meshSites.get(entry.name);
        if (!held) problems.push(`${key}: not registered in the mesh`);
        else if (!isDeepStrictEqual(siteShape(held.spec), siteShape(entry.spec))) {
          problems.push(`${key}: mesh holds a different spec`);
        }
      }
    }
    return problems;
  }
}

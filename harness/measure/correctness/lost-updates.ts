/**
 * lost_updates: after the phases, every object the run touched is compared with what the harness
 * last asked for (see desired-state.ts), in the cluster and in the mesh (registered sites, held
 * policies), and the run's Mesh: its Paths and the mesh's tunnel program against the tunnels the
 * live Sites imply. The count is of objects whose desired state is not
 * realised — one lost update each, however many ways it disagrees (a Site whose change the
 * operator never applied is both behind in status and stale in the mesh, yet one lost change);
 * the first few are named in the events with every disagreement.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { PATH, POLICY, SITE } from "../../../contract/reference-crds/v1alpha1.ts";
import type { CrObject } from "../../load/kube/client.ts";
import type { Measurement, MeasurementContext } from "../measurement.ts";
import type { MeshPolicyView } from "../targets.ts";
import { disagreements, tunnelDisagreements } from "./desired-state.ts";

/** The run's Mesh and the tunnel ids its live Sites imply now (the path-status measurement's set). */
export interface MeshTunnelsExpected {
  mesh: string;
  expected(): ReadonlySet<string>;
}

export class LostUpdatesMeasurement implements Measurement {
  readonly name = "lost-updates";
  private readonly settleMs: number;
  private readonly tunnels: MeshTunnelsExpected | undefined;
  /** Sites and Policies in the cluster, tunnels expected, Paths seen, tunnels programmed (null: not read). */
  private compared = { objects: 0, tunnels: 0, paths: 0, programmed: null as number | null };

  constructor(options: { settleMs?: number; tunnels?: MeshTunnelsExpected } = {}) {
    this.settleMs = options.settleMs ?? 15_000;
    this.tunnels = options.tunnels;
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
    // What the last check compared, so a run shows the Mesh's tunnels were judged, not skipped.
    ctx.events.record("lost-updates.checked", this.name, { ...this.compared });
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
    const lost = disagreements(
      ctx.ledger.all(),
      cluster,
      await ctx.mesh.sites(),
      await this.meshPolicies(ctx),
    );
    this.compared = { objects: cluster.size, tunnels: 0, paths: 0, programmed: null };
    if (this.tunnels) {
      const paths = new Set<string>();
      for (const p of (await ctx.objects.list(PATH.kind, ctx.namespace)).items) {
        const mesh = (p.spec as { mesh?: string } | undefined)?.mesh;
        if (p.metadata?.name && mesh === this.tunnels.mesh && !p.metadata.deletionTimestamp)
          paths.add(p.metadata.name);
      }
      const programmed = await ctx.mesh.tunnels?.(this.tunnels.mesh);
      const expected = this.tunnels.expected();
      for (const [key, problems] of tunnelDisagreements(expected, paths, programmed)) lost.set(key, problems);
      this.compared = {
        ...this.compared,
        tunnels: expected.size,
        paths: paths.size,
        programmed: programmed?.size ?? null,
      };
    }
    return lost;
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

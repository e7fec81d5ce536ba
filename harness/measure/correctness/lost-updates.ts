/**
 * lost_updates: after the phases, every object the run touched is compared with what the harness
 * last asked for (see desired-state.ts), in the cluster (spec, and status caught up as the
 * operator under test reports it) and in the mesh, judged per Patronus API dialect:
 * - reference: registered sites and held policies per object the run touched, and the run's
 *   Mesh (its Paths and the mesh's tunnel program against the tunnels the live Sites imply),
 *   when the operator has Path resources;
 * - patronus-rs: what the simulator received, against the bodies the cluster's Sites and Policies
 *   map to: mismatched, missing, and left over after a deletion.
 * The count is of objects whose desired state is not realised — one lost update each, however
 * many ways it disagrees (a Site whose change the operator never applied is both behind in status
 * and stale in the mesh, yet one lost change); the first few are named in the events with every
 * disagreement, with how many were mismatched, missing or left over.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { API_VERSION, PATH, POLICY, SITE } from "../../../contract/reference-crds/v1alpha1.ts";
import type { CrObject } from "../../load/kube/client.ts";
import type { LedgerEntry } from "../../load/objects/ledger.ts";
import type { KindSpec, KubeObject, ReadyPredicate, UpdateObserved } from "../../operators/definition.ts";
import type { Measurement, MeasurementContext } from "../measurement.ts";
import type { MeshPolicyView } from "../targets.ts";
import {
  type CaughtUp,
  classifyProblem,
  disagreements,
  type ProblemClass,
  referenceCaughtUp,
  rsMeshDisagreements,
  tunnelDisagreements,
} from "./desired-state.ts";

/** The run's Mesh and the tunnel ids its live Sites imply now (the path-status measurement's set). */
export interface MeshTunnelsExpected {
  mesh: string;
  expected(): ReadonlySet<string>;
}

/** One kind of the operator under test as lost_updates lists and judges it (from its definition). */
export interface JudgedKind {
  kind: string;
  apiVersion: string;
  /** The operator reports the object Ready. */
  ready: ReadyPredicate;
  /** The operator has observed the spec the harness last wrote; absent: Ready is all it says. */
  updateObserved?: UpdateObserved;
}

/** The kinds to judge; Policy and Path only where the operator has them. */
export interface JudgedKinds {
  site: JudgedKind;
  policy?: JudgedKind;
  /** Listed for the Mesh's share (reference dialect, with `tunnels`). */
  path?: { kind: string; apiVersion: string };
}

/** The reference operator's kinds (contract/reference-crds), judged by observedGeneration and conditions. */
export const REFERENCE_KINDS: JudgedKinds = {
  site: referenceKind(SITE.kind, "site"),
  policy: referenceKind(POLICY.kind, "policy"),
  path: { kind: PATH.kind, apiVersion: API_VERSION },
};

function referenceKind(kind: string, key: string): JudgedKind {
  return { kind, apiVersion: API_VERSION, ready: (obj) => referenceCaughtUp(key, obj as CrObject) };
}

type KindLike = Pick<KindSpec, "kind" | "group" | "version" | "ready" | "updateObserved">;

/** The kinds of an operator under test as its definition declares them (Path listed only if it has one). */
export function judgedKindsOf(def: {
  kinds: Record<string, KindLike | undefined> & { Site: KindLike };
}): JudgedKinds {
  const judged = (k: KindLike): JudgedKind => ({
    kind: k.kind,
    apiVersion: `${k.group}/${k.version}`,
    ready: k.ready,
    ...(k.updateObserved ? { updateObserved: k.updateObserved } : {}),
  });
  return {
    site: judged(def.kinds.Site),
    ...(def.kinds.Policy ? { policy: judged(def.kinds.Policy) } : {}),
    ...(def.kinds.Path
      ? {
          path: {
            kind: def.kinds.Path.kind,
            apiVersion: `${def.kinds.Path.group}/${def.kinds.Path.version}`,
          },
        }
      : {}),
  };
}

export class LostUpdatesMeasurement implements Measurement {
  readonly name = "lost-updates";
  private readonly settleMs: number;
  private readonly tunnels: MeshTunnelsExpected | undefined;
  private readonly kinds: JudgedKinds | undefined;
  /** Sites and Policies in the cluster, tunnels expected, Paths seen, tunnels programmed (null: not read). */
  private compared = {
    dialect: "reference",
    objects: 0,
    held: 0,
    tunnels: 0,
    paths: 0,
    programmed: null as number | null,
  };

  /**
   * `kinds`: the operator under test's (`judgedKindsOf(definition)`: group/version, Ready and
   * update-observed rules); the reference operator's when absent. `tunnels`: judge the run's Mesh too (only for an
   * operator with Path resources).
   */
  constructor(options: { settleMs?: number; tunnels?: MeshTunnelsExpected; kinds?: JudgedKinds } = {}) {
    this.settleMs = options.settleMs ?? 15_000;
    this.tunnels = options.tunnels;
    this.kinds = options.kinds;
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
      ctx.events.record("lost-updates", this.name, { count: lost.size, ...countByClass(lost), first });
    }
  }

  async check(ctx: MeasurementContext): Promise<Map<string, string[]>> {
    const dialect = ctx.mesh.dialect ?? "reference";
    const kinds = this.kinds ?? REFERENCE_KINDS;
    const list = async (k: { kind: string; apiVersion: string }) =>
      (await ctx.objects.list(k.kind, ctx.namespace, k.apiVersion)).items;
    const sites = await list(kinds.site);
    const policies = kinds.policy ? await list(kinds.policy) : undefined;
    const cluster = new Map<string, CrObject>();
    for (const obj of sites) cluster.set(`site/${obj.metadata?.name}`, obj);
    for (const obj of policies ?? []) cluster.set(`policy/${obj.metadata?.name}`, obj);
    const caughtUp = this.kinds ? caughtUpBy(this.kinds) : referenceCaughtUp;
    const entries = [...ctx.ledger.all()].filter(
      (e) => e.kind === "site" || (e.kind === "policy" && policies),
    );

    if (dialect === "patronus-rs") {
      const heldSites = await ctx.mesh.sites();
      const heldPolicies = policies ? await ctx.mesh.policies?.() : undefined;
      const lost = disagreements(entries, cluster, heldSites, undefined, { caughtUp, compareMesh: false });
      const mesh = rsMeshDisagreements(sites, policies, {
        sites: new Map([...heldSites].map(([name, s]) => [name, s.spec])),
        ...(heldPolicies ? { policies: new Map([...heldPolicies].map(([name, p]) => [name, p.spec])) } : {}),
      });
      for (const [key, problems] of mesh) lost.set(key, [...(lost.get(key) ?? []), ...problems]);
      this.compared = {
        dialect,
        objects: cluster.size,
        held: heldSites.size + (heldPolicies?.size ?? 0),
        tunnels: 0,
        paths: 0,
        programmed: null,
      };
      return lost;
    }

    const meshSites = await ctx.mesh.sites();
    const lost = disagreements(entries, cluster, meshSites, await this.meshPolicies(ctx, entries), {
      caughtUp,
    });
    this.compared = {
      dialect,
      objects: cluster.size,
      held: meshSites.size,
      tunnels: 0,
      paths: 0,
      programmed: null,
    };
    if (this.tunnels && kinds.path) {
      const paths = new Set<string>();
      for (const p of await list(kinds.path)) {
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
  private async meshPolicies(
    ctx: MeasurementContext,
    entries: readonly LedgerEntry[],
  ): Promise<Map<string, MeshPolicyView> | undefined> {
    if (!ctx.mesh.policy) return undefined;
    const held = new Map<string, MeshPolicyView>();
    for (const entry of entries) {
      if (entry.kind !== "policy") continue;
      const policy = await ctx.mesh.policy(entry.name);
      if (policy) held.set(entry.name, policy);
    }
    return held;
  }
}

/** The operator's own rules: it observed the last spec written and reports the object Ready. */
function caughtUpBy(kinds: JudgedKinds): CaughtUp {
  return (kind, obj, entry) => {
    const k = kind === "policy" ? kinds.policy : kinds.site;
    if (!k) return true;
    const sent = {
      generation: entry?.generation ?? obj.metadata?.generation ?? 0,
      spec: entry?.spec,
      at: entry?.acknowledged ?? 0,
    };
    const o = obj as KubeObject;
    return (k.updateObserved?.(o, sent) ?? true) && k.ready(o);
  };
}

function countByClass(lost: ReadonlyMap<string, string[]>): Record<Exclude<ProblemClass, "cluster">, number> {
  const counts = { mismatched: 0, missing: 0, leftOver: 0 };
  for (const problems of lost.values()) {
    const classes = new Set(problems.map(classifyProblem));
    for (const c of classes) if (c !== "cluster") counts[c]++;
  }
  return counts;
}

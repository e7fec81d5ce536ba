/**
 * The comparison behind lost_updates, free of I/O: for each object the run touched, the spec the
 * harness last wrote (the ledger) against what the cluster holds (spec, and status caught up as
 * the operator reports it) and what the mesh holds. One object can disagree in several ways and
 * still be one lost update.
 *
 * What the mesh should hold depends on the Patronus API dialect, each with the harness's own
 * mapping (never the operator's code):
 * - reference: per ledger entry, the registered site spec and the policy's class/SLA/links;
 *   deleted sites deregistered, deleted policies withdrawn (`disagreements`). The Mesh's share:
 *   one Path per tunnel the live Sites imply, no other, and the same tunnel set programmed in
 *   the mesh (`tunnelDisagreements`).
 * - patronus-rs: from the cluster's objects, the body the operator sends for each Site and
 *   Policy (`rsSiteBody`, `rsPolicyBody`), and nothing the cluster no longer has
 *   (`rsMeshDisagreements`): mismatched, missing and left-over, each named.
 */
import { isDeepStrictEqual } from "node:util";
import type { CrObject } from "../../load/kube/client.ts";
import type { LedgerEntry } from "../../load/objects/ledger.ts";
import type { MeshPolicyView, MeshSiteView } from "../targets.ts";

const READY: Record<string, string> = { site: "Ready", policy: "Applied" };

/** The problems lost_updates names, grouped for its event (mismatched, missing, left over). */
export const PROBLEM = {
  siteMismatch: "mesh holds a different spec",
  policyMismatch: "mesh holds a different policy",
  siteMissing: "not registered in the mesh",
  policyMissing: "not held by the mesh",
  siteDeletedHeld: "deleted but still registered in the mesh",
  policyDeletedHeld: "deleted but still held by the mesh",
  leftOver: "left in the mesh with no such object in the cluster",
} as const;

export type ProblemClass = "mismatched" | "missing" | "leftOver" | "cluster";

/** Which kind of disagreement a problem is (its text starts with one of PROBLEM's). */
export function classifyProblem(problem: string): ProblemClass {
  if (problem.startsWith(PROBLEM.siteMismatch) || problem.startsWith(PROBLEM.policyMismatch))
    return "mismatched";
  if (problem.startsWith(PROBLEM.siteMissing) || problem.startsWith(PROBLEM.policyMissing)) return "missing";
  if (
    problem.startsWith(PROBLEM.siteDeletedHeld) ||
    problem.startsWith(PROBLEM.policyDeletedHeld) ||
    problem.startsWith(PROBLEM.leftOver) ||
    problem.startsWith("mesh still programs") ||
    problem.startsWith("Path left")
  )
    return "leftOver";
  return "cluster";
}

/** How the operator under test says it has caught up with an object (its definition's rules). */
export type CaughtUp = (kind: string, obj: CrObject, entry?: LedgerEntry) => boolean;

/** The reference operator's rule: status.observedGeneration ≥ generation and Ready/Applied True. */
export const referenceCaughtUp: CaughtUp = (kind, obj) =>
  Number(obj.status?.observedGeneration ?? 0) >= (obj.metadata?.generation ?? 0) &&
  conditionTrue(obj, READY[kind] ?? "Ready");

export interface DisagreementOptions {
  caughtUp?: CaughtUp;
  /**
   * Whether the mesh is judged per ledger entry here (the reference dialect); false when it is
   * judged from the cluster's objects (rsMeshDisagreements).
   */
  compareMesh?: boolean;
}
/** The fields the Patronus API keeps of a Site spec (defaults applied, links unordered). */
export function siteShape(spec: Record<string, unknown> | undefined): unknown {
  if (!spec) return undefined;
  const links = ((spec.links as Array<Record<string, unknown>>) ?? [])
    .map((l) => ({ name: l.name, type: l.type, bandwidthMbps: l.bandwidthMbps, cost: l.cost }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return { region: spec.region, hub: spec.hub ?? false, links };
}

/** The fields of a Policy spec the Patronus API keeps as given (its sites come from the selector). */
export function policyShape(spec: Record<string, unknown> | undefined): unknown {
  if (!spec) return undefined;
  return { class: spec.class, sla: spec.sla, preferredLinks: spec.preferredLinks };
}

function conditionTrue(obj: CrObject, type: string): boolean {
  const conditions = (obj.status?.conditions as Array<{ type: string; status: string }> | undefined) ?? [];
  return conditions.some((c) => c.type === type && c.status === "True");
}

/**
 * Disagreements per object (`kind/name` → what is wrong), only for objects with at least one.
 * `cluster` is keyed `kind/name` too.
 */
export function disagreements(
  entries: Iterable<LedgerEntry>,
  cluster: ReadonlyMap<string, CrObject>,
  meshSites: ReadonlyMap<string, MeshSiteView>,
  /** The policies the mesh holds, by name, for the policies the run touched; undefined: not checked. */
  meshPolicies?: ReadonlyMap<string, MeshPolicyView>,
  options: DisagreementOptions = {},
): Map<string, string[]> {
  const caughtUp = options.caughtUp ?? referenceCaughtUp;
  const compareMesh = options.compareMesh ?? true;
  const out = new Map<string, string[]>();
  for (const entry of entries) {
    const key = `${entry.kind}/${entry.name}`;
    const problems: string[] = [];
    const obj = cluster.get(key);
    if (entry.state !== "live") {
      if (obj && !obj.metadata?.deletionTimestamp) problems.push("deleted but still in the cluster");
      if (compareMesh && entry.kind === "site" && meshSites.has(entry.name))
        problems.push(PROBLEM.siteDeletedHeld);
      if (compareMesh && entry.kind === "policy" && meshPolicies?.has(entry.name))
        problems.push(PROBLEM.policyDeletedHeld);
    } else if (!obj) {
      problems.push("missing from the cluster");
    } else {
      const same = isDeepStrictEqual(
        JSON.parse(JSON.stringify(obj.spec ?? {})),
        JSON.parse(JSON.stringify(entry.spec)),
      );
      if (
        !same &&
        (entry.kind !== "site" || !isDeepStrictEqual(siteShape(obj.spec), siteShape(entry.spec)))
      ) {
        problems.push("cluster spec differs from the last spec written");
      }
      const generation = obj.metadata?.generation ?? 0;
      if (!caughtUp(entry.kind, obj, entry)) {
        problems.push(
          `status not caught up (generation ${generation}, observed ${obj.status?.observedGeneration ?? "none"})`,
        );
      }
      if (compareMesh && entry.kind === "site") {
        const held = meshSites.get(entry.name);
        if (!held) problems.push(PROBLEM.siteMissing);
        else if (!isDeepStrictEqual(siteShape(held.spec), siteShape(entry.spec)))
          problems.push(PROBLEM.siteMismatch);
      }
      if (compareMesh && entry.kind === "policy" && meshPolicies) {
        const held = meshPolicies.get(entry.name);
        if (!held) problems.push(PROBLEM.policyMissing);
        else if (!isDeepStrictEqual(policyShape(held.spec), policyShape(entry.spec)))
          problems.push(PROBLEM.policyMismatch);
      }
    }
    if (problems.length > 0) out.set(key, problems);
  }
  return out;
}

/**
 * Tunnels whose Path or mesh program disagrees with the tunnel set the live Sites imply, keyed
 * `path/<tunnel id>`: a missing or left-over Path, a tunnel the mesh lacks or still programs.
 * `meshTunnels` undefined: the mesh's program is not checked (a view that cannot read it).
 */
export function tunnelDisagreements(
  expected: ReadonlySet<string>,
  paths: ReadonlySet<string>,
  meshTunnels: ReadonlySet<string> | undefined,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (id: string, problem: string) => {
    const list = out.get(`path/${id}`);
    if (list) list.push(problem);
    else out.set(`path/${id}`, [problem]);
  };
  for (const id of expected) {
    if (!paths.has(id)) add(id, "no Path for a tunnel the live Sites imply");
    if (meshTunnels && !meshTunnels.has(id)) add(id, "tunnel not programmed in the mesh");
  }
  for (const id of paths) if (!expected.has(id)) add(id, "Path left for a tunnel no live Site pair implies");
  for (const id of meshTunnels ?? [])
    if (!expected.has(id)) add(id, "mesh still programs a tunnel no live Site pair implies");
  return out;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;

/**
 * The body the patronus-rs operator sends for a Site (PUT /api/v1/sites/{name}), from its spec:
 * every key present, `location` null when absent, `resources` and `mesh` null when absent, each
 * resource null when absent, `mesh.enabled` false and `mesh.peer_with` [] when left out.
 */
export function rsSiteBody(name: string, spec: Json | undefined): Json {
  const wg = obj(spec?.wireguard);
  const resources = obj(spec?.resources);
  const mesh = obj(spec?.mesh);
  return {
    name,
    location: spec?.location ?? null,
    wireguard: {
      public_key: wg?.public_key ?? null,
      listen_port: wg?.listen_port ?? null,
      endpoints: wg?.endpoints ?? null,
    },
    resources: resources
      ? { cpu: resources.cpu ?? null, memory: resources.memory ?? null, storage: resources.storage ?? null }
      : null,
    mesh: mesh ? { enabled: mesh.enabled ?? false, peer_with: mesh.peer_with ?? [] } : null,
  };
}

/**
 * The body the patronus-rs operator sends for a Policy (PUT /api/v1/policies/{name}): its spec
 * as serialized back from the typed object, so fields left out (or null) are absent.
 */
export function rsPolicyBody(spec: Json | undefined): Json {
  return withoutNulls(spec ?? {}) as Json;
}

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  const o = obj(v);
  if (!o) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(o)) if (x !== null && x !== undefined) out[k] = withoutNulls(x);
  return out;
}

/** Paths (a.b[0]) where two JSON values differ, at most `limit`. */
export function differingFields(a: unknown, b: unknown, limit = 5, prefix = ""): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    const out: string[] = [];
    for (let i = 0; i < a.length && out.length < limit; i++)
      out.push(...differingFields(a[i], b[i], limit - out.length, `${prefix}[${i}]`));
    return out;
  }
  const oa = obj(a);
  const ob = obj(b);
  if (!oa || !ob) return [prefix || "(root)"];
  const out: string[] = [];
  for (const k of [...new Set([...Object.keys(oa), ...Object.keys(ob)])].sort()) {
    for (const f of differingFields(oa[k], ob[k], limit, prefix ? `${prefix}.${k}` : k)) {
      if (out.length >= limit) return out;
      out.push(f);
    }
  }
  return out;
}

/** What the patronus-rs dialect holds, by name (the bodies it received). */
export interface RsHeld {
  sites: ReadonlyMap<string, Json>;
  /** undefined: the policies were not read. */
  policies?: ReadonlyMap<string, Json>;
}

/**
 * The patronus-rs mesh against the cluster, keyed `kind/name`: every Site and Policy in the
 * cluster held with the body its spec maps to (a mismatch names the differing fields; absent:
 * missing), and nothing held that the cluster does not have (left over). An object being deleted
 * (deletionTimestamp) may still be held or already gone: neither is counted.
 */
export function rsMeshDisagreements(
  sites: readonly CrObject[],
  policies: readonly CrObject[] | undefined,
  held: RsHeld,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const judge = (
    kind: "site" | "policy",
    objects: readonly CrObject[],
    heldBodies: ReadonlyMap<string, Json>,
    expected: (o: CrObject) => Json,
  ) => {
    const inCluster = new Set<string>();
    for (const o of objects) {
      const name = o.metadata?.name;
      if (!name) continue;
      inCluster.add(name);
      if (o.metadata?.deletionTimestamp) continue;
      const body = heldBodies.get(name);
      const want = expected(o);
      if (!body) out.set(`${kind}/${name}`, [kind === "site" ? PROBLEM.siteMissing : PROBLEM.policyMissing]);
      else if (!isDeepStrictEqual(body, want)) {
        const fields = differingFields(body, want).join(", ");
        const what = kind === "site" ? PROBLEM.siteMismatch : PROBLEM.policyMismatch;
        out.set(`${kind}/${name}`, [`${what} (${fields})`]);
      }
    }
    for (const name of heldBodies.keys())
      if (!inCluster.has(name)) out.set(`${kind}/${name}`, [PROBLEM.leftOver]);
  };
  judge("site", sites, held.sites, (o) => rsSiteBody(o.metadata?.name ?? "", o.spec as Json | undefined));
  if (policies && held.policies)
    judge("policy", policies, held.policies, (o) => rsPolicyBody(o.spec as Json | undefined));
  return out;
}

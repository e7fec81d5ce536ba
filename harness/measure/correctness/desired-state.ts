/**
 * The comparison behind lost_updates, free of I/O: for each object the run touched, the spec the
 * harness last wrote (the ledger) against what the cluster holds (spec, and status caught up with
 * metadata.generation) and what the mesh holds (registered site spec, policy class/SLA/links;
 * deleted sites deregistered, deleted policies withdrawn). One object can disagree in several ways
 * and still be one lost update. The Mesh's share: one Path per tunnel the live Sites imply, no
 * other, and the same tunnel set programmed in the mesh (tunnelDisagreements).
 */
import { isDeepStrictEqual } from "node:util";
import type { CrObject } from "../../load/kube/client.ts";
import type { LedgerEntry } from "../../load/objects/ledger.ts";
import type { MeshPolicyView, MeshSiteView } from "../targets.ts";

const READY: Record<string, string> = { site: "Ready", policy: "Applied" };

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
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const entry of entries) {
    const key = `${entry.kind}/${entry.name}`;
    const problems: string[] = [];
    const obj = cluster.get(key);
    if (entry.state !== "live") {
      if (obj && !obj.metadata?.deletionTimestamp) problems.push("deleted but still in the cluster");
      if (entry.kind === "site" && meshSites.has(entry.name))
        problems.push("deleted but still registered in the mesh");
      if (entry.kind === "policy" && meshPolicies?.has(entry.name))
        problems.push("deleted but still held by the mesh");
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
      if (
        Number(obj.status?.observedGeneration ?? 0) < generation ||
        !conditionTrue(obj, READY[entry.kind] ?? "Ready")
      ) {
        problems.push(
          `status not caught up (generation ${generation}, observed ${obj.status?.observedGeneration ?? "none"})`,
        );
      }
      if (entry.kind === "site") {
        const held = meshSites.get(entry.name);
        if (!held) problems.push("not registered in the mesh");
        else if (!isDeepStrictEqual(siteShape(held.spec), siteShape(entry.spec)))
          problems.push("mesh holds a different spec");
      }
      if (entry.kind === "policy" && meshPolicies) {
        const held = meshPolicies.get(entry.name);
        if (!held) problems.push("not held by the mesh");
        else if (!isDeepStrictEqual(policyShape(held.spec), policyShape(entry.spec)))
          problems.push("mesh holds a different policy");
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

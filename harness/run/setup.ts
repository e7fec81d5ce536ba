/** Cluster-side preparation of a run: the scenario's namespace and its Mesh object. */
import { setTimeout as sleep } from "node:timers/promises";
import { SITE_FINALIZER } from "../../contract/reference-crds/v1alpha1.ts";
import { HarnessError } from "../errors.ts";
import { type KubeObjects, statusCodeOf } from "../load/kube/client.ts";
import type { ObjectLedger } from "../load/objects/ledger.ts";
import type { World } from "../mesh/model/world.ts";
import type { TopologySite } from "../mesh/topology/tunnels.ts";
import type { KindSpec, OperatorDefinition } from "../operators/definition.ts";
import type { ScenarioDefinition } from "../scenario/schema.ts";

export const MESH_NAME = "bench";

export async function ensureNamespace(objects: KubeObjects, name: string): Promise<void> {
  try {
    await objects.api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  } catch (err) {
    if (statusCodeOf(err) !== 409) throw err;
  }
}

/**
 * A run accounts for every object it creates and names them itself, so objects already in its
 * namespace (a run kept with --keep on a reused cluster, or someone else's) would collide with its
 * creates and count against its coverage and lost_updates: refused before anything starts.
 */
export async function requireEmptyNamespace(
  objects: KubeObjects,
  namespace: string,
  kinds: OperatorDefinition["kinds"],
): Promise<void> {
  const found: string[] = [];
  for (const spec of Object.values(kinds)) {
    if (!spec) continue;
    const n = (await objects.list(spec, namespace)).items.length;
    // "2 Policies", "1 Mesh": the kind, or its plural resource name written as a kind.
    const plural = `${spec.plural.charAt(0).toUpperCase()}${spec.plural.slice(1)}`;
    if (n > 0) found.push(`${n} ${n === 1 ? spec.kind : plural}`);
  }
  if (found.length === 0) return;
  throw new HarnessError(
    `namespace ${namespace} already holds ${found.join(", ")} (left by a run kept with --keep or interrupted, or not the harness's); ` +
      "a run's objects would collide with them",
    {
      fix:
        `run in another namespace (--set namespace=<name>), or delete them first: kubectl delete namespace ${namespace} ` +
        `(objects with a finalizer, such as the reference operator's ${SITE_FINALIZER}, stay until an operator releases them)`,
    },
  );
}

/** The run's Mesh object, for an operator that serves Meshes (the scenario's topology, from its template). */
export async function createMesh(
  objects: KubeObjects,
  def: ScenarioDefinition,
  mesh: KindSpec | undefined,
): Promise<void> {
  if (!mesh?.template) return;
  const t = def.mesh.topology;
  const topology = t.type === "partial" ? { type: t.type, k: t.k } : { type: t.type };
  const { spec } = mesh.template({ index: 0, seed: def.mesh.seed, variant: 0, settings: { topology } });
  try {
    await objects.create(mesh, def.namespace, MESH_NAME, spec);
  } catch (err) {
    if (statusCodeOf(err) !== 409) throw err;
  }
}

/** The Sites that exist now, as the tunnel rule sees them (links as last written). */
export function liveTopologySites(world: World, ledger: ObjectLedger): TopologySite[] {
  const out: TopologySite[] = [];
  for (const site of world.sites) {
    const entry = ledger.get("site", site.name);
    if (entry?.state !== "live") continue;
    const spec = entry.spec as { links?: TopologySite["links"] };
    out.push({ name: site.name, region: site.region, hub: site.hub, links: spec.links ?? site.links });
  }
  return out;
}

/**
 * On a cluster the run does not own (kubeconfig provider), removes what the run created while the
 * operator still runs (Sites carry its finalizer), waiting a bounded time for them to go.
 */
export async function removeRunObjects(
  objects: KubeObjects,
  def: ScenarioDefinition,
  ledger: ObjectLedger,
  kinds: OperatorDefinition["kinds"],
): Promise<number> {
  const byObject = { site: kinds.Site, policy: kinds.Policy } as const;
  const doomed: Array<[KindSpec, string]> = kinds.Mesh ? [[kinds.Mesh, MESH_NAME]] : [];
  for (const e of ledger.all()) {
    const spec = byObject[e.kind];
    if (e.state === "live" && spec) doomed.push([spec, e.name]);
  }
  for (const [kind, name] of doomed) {
    await objects.delete(kind, def.namespace, name).catch(() => undefined);
  }
  const deadline = performance.now() + 60_000;
  let left = doomed.length;
  while (performance.now() < deadline) {
    left = 0;
    for (const kind of [kinds.Site, kinds.Policy, kinds.Mesh])
      if (kind) left += (await objects.list(kind, def.namespace)).items.length;
    if (left === 0) break;
    await sleep(500);
  }
  return left;
}

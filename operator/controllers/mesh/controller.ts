/**
 * Mesh controller: selects registered Sites by label, computes the tunnel set (./tunnels.ts), owns one Path per tunnel (ownerReference with
 * controller=true, so the garbage collector deletes Paths with their Mesh), and programs the
 * tunnel set into the Patronus API. A finalizer clears the API's tunnel set on delete.
 */
import { createHash } from "node:crypto";
import type { Tunnel } from "../../../contract/patronus-api/v1.ts";
import { type Mesh, type MeshStatus, pathObjectUnchecked, type Site } from "../../api/v1alpha1/types.ts";
import { runBounded } from "../../runtime/concurrency/bounded.ts";
import { isTrue, setCondition } from "../../runtime/conditions/conditions.ts";
import {
  Controller,
  type ControllerSettings,
  fromSettings,
  type Reconciler,
  type Result,
} from "../../runtime/controller/controller.ts";
import { matchesSelector, selectFromStore } from "../../runtime/kube/label-selector.ts";
import {
  addFinalizer,
  hasFinalizer,
  removeFinalizer,
  updateStatus,
} from "../../runtime/kube/object-writes.ts";
import { MESHES, objectKey, PATHS, resourcePath, splitKey } from "../../runtime/kube/resources.ts";
import { isConflict, isNotFound } from "../../runtime/kube/rest-client.ts";
import { type OperatorContext, PATHS_BY_MESH } from "../context.ts";
import { SpecChecks } from "../spec-check.ts";
import { PathExpectations } from "./expectations.ts";
import { type MeshSite, meshTunnels, TopologyError } from "./tunnels.ts";

export const MESH_FINALIZER = "sdwan.patronus.io/tunnels";
/**
 * Path creates/deletes in flight per reconcile. A Mesh is one key, so its Paths are written by
 * one reconcile: at 8 in flight and ~100 ms per call a 1000-site hub-spoke mesh (3850 Paths) took
 * ~50 s to build. More in flight than the apiserver can serve only queues there, in front of the
 * leader's lease renewals among others (same client, same priority level): measured on 2 loaded
 * cores, 32 in flight tripled the apiserver's Path POST p50 and lease PUT p99 (to 3 s) for no
 * gain in throughput. The rate is also bounded by the client-side limiter (--qps).
 */
const WRITE_PARALLELISM = 16;
/** Path health flips are folded into one Mesh status refresh per this window. */
const HEALTH_COALESCE_MS = 1000;
/** Site changes are folded into one Mesh pass per this window. */
const SITE_COALESCE_MS = 200;

export class MeshReconciler implements Reconciler {
  private readonly ctx: OperatorContext;
  /** Hash of the tunnel set last programmed per Mesh: one entry per Mesh, removed on delete. */
  private readonly programmed = new Map<string, string>();
  private readonly specChecks = new SpecChecks("Mesh");
  /** Meshes whose finalizer this controller ran; their leaving the cache needs no more calls. */
  private readonly finalized = new Set<string>();
  /** Paths written by earlier passes that the cache does not show yet (not to be written again). */
  readonly creating = new PathExpectations();
  readonly deleting = new PathExpectations();

  constructor(ctx: OperatorContext) {
    this.ctx = ctx;
  }

  async reconcile(key: string): Promise<Result | undefined> {
    const { rest, pathRest, patronus, recorder, informers } = this.ctx;
    let mesh = informers.meshes.store.get(key);
    if (!mesh) {
      this.creating.forget(key);
      this.deleting.forget(key);
      this.specChecks.forget(key);
      // Gone without our finalizer having run (the apiserver's finalizer race,
      // kubernetes/kubernetes#77988, as for Sites) after this replica programmed its tunnels:
      // clear them all the same. Its Paths go with it through the garbage collector.
      if (!this.finalized.delete(key) && this.programmed.has(key))
        await patronus.putTunnels(splitKey(key).name, []);
      this.programmed.delete(key);
      return undefined;
    }
    const name = mesh.metadata.name;
    const generation = mesh.metadata.generation ?? 0;

    if (mesh.metadata.deletionTimestamp) {
      if (!hasFinalizer(mesh, MESH_FINALIZER)) return undefined;
      await patronus.putTunnels(name, []);
      this.programmed.delete(key);
      this.creating.forget(key);
      this.deleting.forget(key);
      await removeFinalizer(rest, MESHES, mesh, MESH_FINALIZER);
      this.finalized.add(key);
      return undefined;
    }
    this.finalized.delete(key);

    const checked = this.specChecks.check(key, mesh);
    if (!checked.ok) {
      await this.notReady(mesh, "InvalidSpec", checked.message);
      return undefined;
    }
    const spec = checked.spec;
    if (!hasFinalizer(mesh, MESH_FINALIZER)) mesh = await addFinalizer(rest, MESHES, mesh, MESH_FINALIZER);

    const sites: MeshSite[] = [];
    for (const s of selectFromStore(informers.sites.store, spec.siteSelector)) {
      if (s.metadata.deletionTimestamp || !isTrue(s.status?.conditions, "Registered")) continue;
      sites.push({
        name: s.metadata.name,
        region: s.spec.region,
        hub: s.spec.hub ?? false,
        links: s.spec.links,
      });
    }
    let tunnels: Tunnel[];
    try {
      tunnels = meshTunnels(sites, spec.topology, spec.maxTunnels);
    } catch (err) {
      if (!(err instanceof TopologyError)) throw err;
      const reason = /budget/.test(err.message) ? "TunnelBudgetExceeded" : "InvalidTopology";
      await this.notReady(mesh, reason, err.message, sites.length);
      recorder.record(mesh, "Warning", reason, "ComputeTunnels", err.message);
      return undefined;
    }
    if (tunnels.length > spec.maxTunnels) {
      const msg = `the topology needs ${tunnels.length} tunnels, over spec.maxTunnels ${spec.maxTunnels}`;
      await this.notReady(mesh, "TunnelBudgetExceeded", msg, sites.length);
      recorder.record(mesh, "Warning", "TunnelBudgetExceeded", "ComputeTunnels", msg);
      return undefined;
    }

    // The tunnel set first: telemetry for new tunnels starts while their Paths are being
    // created, so each Path gets its first status as soon as the cache shows it.
    const hash = tunnelSetHash(tunnels);
    if (this.programmed.get(key) !== hash) {
      await patronus.putTunnels(name, tunnels);
      this.programmed.set(key, hash);
      recorder.record(
        mesh,
        "Normal",
        "Programmed",
        "ProgramTunnels",
        `${tunnels.length} tunnels over ${sites.length} sites programmed`,
      );
    }

    const desired = new Map(tunnels.map((t) => [t.id, t]));
    const existing = informers.paths.store.byIndex(PATHS_BY_MESH, key);
    const existingIds = new Set(existing.map((p) => p.metadata.name));
    const owner = {
      name,
      namespace: mesh.metadata.namespace ?? this.ctx.namespace,
      uid: mesh.metadata.uid ?? "",
    };
    const conflicts: string[] = [];
    const creating = this.creating.pending(key);
    const toCreate = tunnels.filter((t) => !existingIds.has(t.id) && !creating.has(t.id));
    const deleting = this.deleting.pending(key);
    const toDelete = existing.filter((p) => !desired.has(p.metadata.name) && !deleting.has(p.metadata.name));
    await runBounded([...toCreate, ...toDelete], WRITE_PARALLELISM, async (item) => {
      // Expected before the write: the watch event may arrive before the response does.
      if ("metadata" in item) {
        this.deleting.expect(key, item.metadata.name);
        try {
          await pathRest.send("DELETE", resourcePath(PATHS, item.metadata.namespace, item.metadata.name));
        } catch (err) {
          this.deleting.observed(key, item.metadata.name);
          if (!isNotFound(err)) throw err;
        }
        return;
      }
      this.creating.expect(key, item.id);
      try {
        await pathRest.send("POST", resourcePath(PATHS, owner.namespace), {
          body: pathObjectUnchecked(owner, item),
        });
      } catch (err) {
        this.creating.observed(key, item.id);
        if (!isConflict(err)) throw err;
        const other = informers.paths.store.get(`${owner.namespace}/${item.id}`);
        if (other && other.spec.mesh !== name)
          conflicts.push(`${item.id} (owned by Mesh ${other.spec.mesh})`);
      }
    });

    let healthy = 0;
    for (const p of existing) if (desired.has(p.metadata.name) && p.status?.state === "Up") healthy++;
    const status: MeshStatus = {
      ...mesh.status,
      observedGeneration: generation,
      sites: sites.length,
      paths: tunnels.length,
      healthyPaths: healthy,
    };
    status.conditions = conflicts.length
      ? setCondition(mesh.status?.conditions, {
          type: "Ready",
          status: "False",
          reason: "TunnelConflict",
          message: `tunnels claimed by another Mesh: ${conflicts.slice(0, 5).join(", ")}${conflicts.length > 5 ? ", …" : ""}`,
          observedGeneration: generation,
        })
      : setCondition(mesh.status?.conditions, {
          type: "Ready",
          status: "True",
          reason: "Programmed",
          message: `${tunnels.length} tunnels programmed`,
          observedGeneration: generation,
        });
    await updateStatus(rest, MESHES, mesh, status);
    if (conflicts.length)
      recorder.record(mesh, "Warning", "TunnelConflict", "CreatePaths", status.conditions[0]?.message ?? "");
    return undefined;
  }

  private async notReady(mesh: Mesh, reason: string, message: string, sites?: number): Promise<void> {
    const generation = mesh.metadata.generation ?? 0;
    const status: MeshStatus = {
      ...mesh.status,
      observedGeneration: generation,
      ...(sites !== undefined ? { sites } : {}),
    };
    status.conditions = setCondition(mesh.status?.conditions, {
      type: "Ready",
      status: "False",
      reason,
      message,
      observedGeneration: generation,
    });
    await updateStatus(this.ctx.rest, MESHES, mesh, status);
  }
}

function tunnelSetHash(tunnels: readonly Tunnel[]): string {
  const h = createHash("sha1");
  for (const t of tunnels) h.update(t.id).update("\n");
  return h.digest("hex");
}

export function createMeshController(ctx: OperatorContext, settings: ControllerSettings): Controller {
  const { informers } = ctx;
  const reconciler = new MeshReconciler(ctx);
  const c = new Controller({
    name: "mesh",
    reconciler,
    metrics: ctx.metrics,
    logger: ctx.logger,
    ...fromSettings(settings),
  });
  c.watch(informers.meshes, (mesh, old) => {
    if (old && old.metadata.generation === mesh.metadata.generation && !mesh.metadata.deletionTimestamp)
      return [];
    return [objectKey(mesh)];
  });
  // A Site change matters to the Meshes whose selector matches it before or after the change.
  // Meshes are few (one per topology), so checking each selector is cheap; Sites are never scanned.
  // Site changes are folded into one pass per window: a pass recomputes every tunnel of the Mesh
  // (~10–25 ms of CPU at 1000 Sites) and PUTs the whole set (~0.5 MB), so under churn (tens of
  // Site changes a second) a pass per change would take the CPU the Site controller needs.
  c.watch(informers.sites, (site, old) => {
    if (old && !siteChangeMatters(old, site)) return [];
    for (const mesh of informers.meshes.store.values()) {
      const sel = mesh.spec.siteSelector;
      if (matchesSelector(sel, site.metadata.labels) || (old && matchesSelector(sel, old.metadata.labels)))
        c.enqueueAfter(objectKey(mesh), SITE_COALESCE_MS);
    }
    return [];
  });
  // Owned Paths: re-create one deleted by someone else at once; fold health flips into one status
  // refresh per window. Our own creates and deletes showing up need no new pass, unless a Site of
  // the Path went away while the create was in flight (the pass that saw it could not see the Path),
  // or both came back while the delete was in flight (the pass that saw them still saw the Path).
  c.watch(informers.paths, (path, old, kind) => {
    const meshKey = `${path.metadata.namespace}/${path.spec.mesh}`;
    const id = path.metadata.name;
    if (kind === "delete") {
      const ours = reconciler.deleting.has(meshKey, id);
      reconciler.deleting.observed(meshKey, id);
      if (!ours) return [meshKey];
      // Our delete, but both its Sites are here: the tunnel may be wanted again (a Site deleted and
      // re-created under the same name). A pass that ran before this event still saw the old Path
      // and could not create the new one, so one more pass.
      if (
        !siteGone(path.metadata.namespace, path.spec.siteA) &&
        !siteGone(path.metadata.namespace, path.spec.siteB)
      )
        c.enqueueAfter(meshKey, SITE_COALESCE_MS);
      return [];
    }
    if (kind === "add") {
      reconciler.creating.observed(meshKey, id);
      return siteGone(path.metadata.namespace, path.spec.siteA) ||
        siteGone(path.metadata.namespace, path.spec.siteB)
        ? [meshKey]
        : [];
    }
    if (old && old.status?.state !== path.status?.state) c.enqueueAfter(meshKey, HEALTH_COALESCE_MS);
    return [];
  });
  const siteGone = (namespace: string | undefined, site: string): boolean => {
    const s = informers.sites.store.get(`${namespace ?? ctx.namespace}/${site}`);
    return !s || Boolean(s.metadata.deletionTimestamp);
  };
  return c;
}

function siteChangeMatters(old: Site, site: Site): boolean {
  return (
    old.metadata.generation !== site.metadata.generation ||
    JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(site.metadata.labels ?? {}) ||
    Boolean(old.metadata.deletionTimestamp) !== Boolean(site.metadata.deletionTimestamp) ||
    isTrue(old.status?.conditions, "Registered") !== isTrue(site.status?.conditions, "Registered")
  );
}

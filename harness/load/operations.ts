/**
 * The operations the load driver performs on Sites and Policies — create, update, delete — each
 * recorded in the ledger with the time the request was sent and the generation the apiserver
 * returned. Targets are picked with the run's seeded random, skipping objects that have a
 * request in flight (two concurrent writes to one object would make the measurement ambiguous).
 */
import { POLICY, SITE } from "../../contract/reference-crds/v1alpha1.ts";
import type { World, WorldSite } from "../mesh/model/world.ts";
import type { Random } from "../random/seeded.ts";
import type { ObjectKind, ObjectTemplate, OperationMix } from "../scenario/phases.ts";
import type { KubeObjects } from "./kube/client.ts";
import { AbsentNames } from "./objects/absent-names.ts";
import {
  policyName,
  policySpec,
  RUN_LABEL,
  siteSpec,
  updatedPolicySpec,
  updatedSiteSpec,
} from "./objects/builders.ts";
import type { IntentType, ObjectLedger } from "./objects/ledger.ts";

export interface OperationContext {
  objects: KubeObjects;
  ledger: ObjectLedger;
  namespace: string;
  world: World;
  random: Random;
  runId: string;
  /** Index of the next Policy to create (policies are not bounded by the world). */
  cursor: { policy: number };
}

const KIND_NAME: Record<ObjectKind, string> = { site: SITE.kind, policy: POLICY.kind };

function pickLive(ctx: OperationContext, kind: ObjectKind): string | undefined {
  const names = ctx.ledger.liveList(kind);
  for (let attempt = 0; attempt < 8 && names.length > 0; attempt++) {
    const name = names[Math.floor(ctx.random() * names.length)] as string;
    if (!ctx.ledger.isBusy(kind, name)) return name;
  }
  return undefined;
}

interface WorldSites {
  world: World;
  absent: AbsentNames;
  byName: Map<string, WorldSite>;
}

/** Per ledger (one per run): the index of absent world Sites, built on the first create. */
const worldSitesOf = new WeakMap<ObjectLedger, WorldSites>();

function worldSites(ctx: OperationContext): WorldSites {
  let w = worldSitesOf.get(ctx.ledger);
  if (w?.world !== ctx.world) {
    w?.absent.unsubscribe();
    const names = ctx.world.sites.map((s) => s.name);
    w = {
      world: ctx.world,
      absent: new AbsentNames(ctx.ledger, "site", names),
      byName: new Map(ctx.world.sites.map((s) => [s.name, s])),
    };
    worldSitesOf.set(ctx.ledger, w);
  }
  return w;
}

/**
 * The first world site (in world order) that does not exist in the cluster (never created, or
 * deleted and gone) and has no request in flight.
 */
export function nextAbsentSite(ctx: OperationContext): string | undefined {
  return worldSites(ctx).absent.first();
}

async function tracked<T>(
  ctx: OperationContext,
  type: IntentType,
  kind: ObjectKind,
  name: string,
  spec: Record<string, unknown> | undefined,
  request: () => Promise<T & { metadata?: { generation?: number } }>,
): Promise<boolean> {
  if (!ctx.ledger.claim(kind, name)) return false;
  try {
    const at = performance.now();
    const res = await request();
    // A delete's answer may be the object being finalized; its generation means nothing here.
    const generation = type === "delete" ? undefined : res?.metadata?.generation;
    ctx.ledger.accepted({ type, kind, name, at, generation }, spec);
    return true;
  } finally {
    ctx.ledger.release(kind, name);
  }
}

export async function createObject(
  ctx: OperationContext,
  kind: ObjectKind,
  template?: ObjectTemplate,
  name?: string,
): Promise<boolean> {
  let objectName = name;
  let spec: Record<string, unknown>;
  if (kind === "site") {
    objectName ??= nextAbsentSite(ctx);
    const site = objectName === undefined ? undefined : worldSites(ctx).byName.get(objectName);
    if (!objectName || !site) return false;
    spec = siteSpec(site, template);
  } else {
    const index = ctx.cursor.policy++;
    objectName ??= policyName(index);
    spec = policySpec(index, template);
  }
  const n = objectName;
  return tracked(ctx, "create", kind, n, spec, () =>
    ctx.objects.create(KIND_NAME[kind], ctx.namespace, n, spec, { [RUN_LABEL]: ctx.runId }),
  );
}

export async function updateObject(ctx: OperationContext, kind: ObjectKind, name?: string): Promise<boolean> {
  const target = name ?? pickLive(ctx, kind);
  const entry = target ? ctx.ledger.get(kind, target) : undefined;
  if (!target || !entry) return false;
  const spec = kind === "site" ? updatedSiteSpec(entry.spec) : updatedPolicySpec(entry.spec);
  return tracked(ctx, "update", kind, target, spec, () =>
    ctx.objects.patchSpec(KIND_NAME[kind], ctx.namespace, target, spec),
  );
}

export async function deleteObject(ctx: OperationContext, kind: ObjectKind, name?: string): Promise<boolean> {
  const target = name ?? pickLive(ctx, kind);
  if (!target) return false;
  return tracked(ctx, "delete", kind, target, undefined, () =>
    ctx.objects.delete(KIND_NAME[kind], ctx.namespace, target),
  );
}

/** Picks create/update/delete by the mix's weights; falls back to update when the pick has no target. */
export function pickOperation(mix: OperationMix, random: Random): IntentType {
  const total = mix.create + mix.update + mix.delete;
  const u = random() * total;
  if (u < mix.create) return "create";
  if (u < mix.create + mix.update) return "update";
  return "delete";
}

export async function mixedOperation(
  ctx: OperationContext,
  kind: ObjectKind,
  mix: OperationMix,
  template?: ObjectTemplate,
): Promise<IntentType | undefined> {
  const op = pickOperation(mix, ctx.random);
  // Keep the population from draining: never delete the last few objects.
  if (op === "delete" && ctx.ledger.liveCount(kind) > 1 && (await deleteObject(ctx, kind))) return "delete";
  if (op === "create" && (await createObject(ctx, kind, template))) return "create";
  return (await updateObject(ctx, kind)) ? "update" : undefined;
}

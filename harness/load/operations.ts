/**
 * The operations the load driver performs on Sites and Policies — create, update, delete — each
 * recorded in the ledger with the time the request was sent and the generation the apiserver
 * returned. Targets are picked with the run's seeded random, skipping objects that have a
 * request in flight (two concurrent writes to one object would make the measurement ambiguous).
 */
import { POLICY, SITE } from "../../operator/api/v1alpha1/constants.ts";
import type { World } from "../mesh/model/world.ts";
import type { ObjectKind, ObjectTemplate, OperationMix } from "../scenario/phases.ts";
import type { KubeObjects } from "./kube/client.ts";
import {
  policyName,
  policySpec,
  RUN_LABEL,
  siteSpec,
  updatedPolicySpec,
  updatedSiteSpec,
} from "./objects/builders.ts";
import type { IntentType, ObjectLedger } from "./objects/ledger.ts";
import type { Random } from "./random.ts";

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
  const names = [...ctx.ledger.liveNames(kind)];
  for (let attempt = 0; attempt < 8 && names.length > 0; attempt++) {
    const name = names[Math.floor(ctx.random() * names.length)] as string;
    if (!ctx.ledger.isBusy(kind, name)) return name;
  }
  return undefined;
}

/** The next world site that does not exist in the cluster (never created, or deleted and gone). */
export function nextAbsentSite(ctx: OperationContext): string | undefined {
  for (const site of ctx.world.sites) {
    if (ctx.ledger.isBusy("site", site.name)) continue;
    const entry = ctx.ledger.get("site", site.name);
    // A deleted Site lingers until its finalizer ran; only a gone one can be created again.
    if (!entry || entry.state === "gone") return site.name;
  }
  return undefined;
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
    ctx.ledger.accepted({ type, kind, name, at, generation: res?.metadata?.generation }, spec);
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
    const site = ctx.world.sites.find((s) => s.name === objectName);
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

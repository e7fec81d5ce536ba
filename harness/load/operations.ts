/**
 * The operations the load driver performs on Sites and Policies — create, update, delete — each
 * recorded in the ledger with the time the request was sent and the generation the apiserver
 * returned. The objects are the operator definition's: its kind's resource, and its template for
 * the object's index (a Site's index is its place in the simulated world) and variant (0 on
 * create, one more on every update). Targets are picked with the run's seeded random, skipping
 * objects that have a request in flight (two concurrent writes to one object would make the
 * measurement ambiguous).
 */
import type { World, WorldSite } from "../mesh/model/world.ts";
import type { KindSpec, OperatorDefinition } from "../operators/definition.ts";
import type { Random } from "../random/seeded.ts";
import type { ObjectKind, ObjectTemplate, OperationMix } from "../scenario/phases.ts";
import type { KubeObjects } from "./kube/client.ts";
import { AbsentNames } from "./objects/absent-names.ts";
import { policyName, RUN_LABEL } from "./objects/builders.ts";
import type { IntentType, LedgerEntry, ObjectLedger } from "./objects/ledger.ts";

export interface OperationContext {
  objects: KubeObjects;
  ledger: ObjectLedger;
  namespace: string;
  world: World;
  random: Random;
  runId: string;
  /** Index of the next Policy to create (policies are not bounded by the world). */
  cursor: { policy: number };
  /** The operator under test's kinds: resources, templates and predicates. */
  kinds: OperatorDefinition["kinds"];
  /** The run's seed, given to the templates. */
  seed: number;
}

const KIND_NAME = { site: "Site", policy: "Policy" } as const;

/** The definition's kind a scenario object stands for; an operator without it cannot be driven. */
export function kindSpec(ctx: Pick<OperationContext, "kinds">, kind: ObjectKind): KindSpec {
  const spec = ctx.kinds[KIND_NAME[kind]];
  if (!spec) throw new Error(`the operator under test has no ${KIND_NAME[kind]} resource`);
  return spec;
}

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
  byName: Map<string, { site: WorldSite; index: number }>;
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
      byName: new Map(ctx.world.sites.map((site, index) => [site.name, { site, index }])),
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
  template?: LedgerEntry["template"],
): Promise<boolean> {
  if (!ctx.ledger.claim(kind, name)) return false;
  try {
    const at = performance.now();
    const res = await request();
    // A delete's answer may be the object being finalized; its generation means nothing here.
    const generation = type === "delete" ? undefined : res?.metadata?.generation;
    const acknowledged = Date.now();
    ctx.ledger.accepted(
      { type, kind, name, at, generation, acknowledged, ...(spec ? { spec } : {}) },
      spec,
      template,
    );
    return true;
  } finally {
    ctx.ledger.release(kind, name);
  }
}

/** The template's object for `index`/`variant`, with the scenario phase's settings and the world's site. */
function objectFor(
  ctx: OperationContext,
  kind: ObjectKind,
  index: number,
  variant: number,
  settings: ObjectTemplate | undefined,
  site?: WorldSite,
): { spec: Record<string, unknown>; labels: Record<string, string> } {
  const template = kindSpec(ctx, kind).template;
  if (!template) throw new Error(`the operator under test creates its ${KIND_NAME[kind]} objects itself`);
  const made = template({
    index,
    seed: ctx.seed,
    variant,
    ...(site ? { site } : {}),
    ...(settings ? { settings } : {}),
  });
  return { spec: made.spec, labels: { ...made.labels, [RUN_LABEL]: ctx.runId } };
}

export async function createObject(
  ctx: OperationContext,
  kind: ObjectKind,
  template?: ObjectTemplate,
  name?: string,
): Promise<boolean> {
  let objectName = name;
  let index: number;
  let site: WorldSite | undefined;
  if (kind === "site") {
    objectName ??= nextAbsentSite(ctx);
    const found = objectName === undefined ? undefined : worldSites(ctx).byName.get(objectName);
    if (!objectName || !found) return false;
    ({ index, site } = found);
  } else {
    index = ctx.cursor.policy++;
    objectName ??= policyName(index);
  }
  const { spec, labels } = objectFor(ctx, kind, index, 0, template, site);
  const n = objectName;
  return tracked(
    ctx,
    "create",
    kind,
    n,
    spec,
    () => ctx.objects.create(kindSpec(ctx, kind), ctx.namespace, n, spec, labels),
    { index, variant: 0 },
  );
}

export async function updateObject(
  ctx: OperationContext,
  kind: ObjectKind,
  name?: string,
  template?: ObjectTemplate,
): Promise<boolean> {
  const target = name ?? pickLive(ctx, kind);
  const entry = target ? ctx.ledger.get(kind, target) : undefined;
  if (!target || !entry) return false;
  const index = entry.template?.index ?? 0;
  const variant = (entry.template?.variant ?? 0) + 1;
  const site = kind === "site" ? worldSites(ctx).byName.get(target)?.site : undefined;
  const { spec } = objectFor(ctx, kind, index, variant, template, site);
  return tracked(
    ctx,
    "update",
    kind,
    target,
    spec,
    () => ctx.objects.patchSpec(kindSpec(ctx, kind), ctx.namespace, target, spec),
    { index, variant },
  );
}

export async function deleteObject(ctx: OperationContext, kind: ObjectKind, name?: string): Promise<boolean> {
  const target = name ?? pickLive(ctx, kind);
  if (!target) return false;
  return tracked(ctx, "delete", kind, target, undefined, () =>
    ctx.objects.delete(kindSpec(ctx, kind), ctx.namespace, target),
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
  return (await updateObject(ctx, kind, undefined, template)) ? "update" : undefined;
}

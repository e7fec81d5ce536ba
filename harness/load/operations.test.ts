/**
 * The load driver's choice of targets. The cluster side is a recorder of calls here (the
 * driver's bookkeeping is under test, not the apiserver; test/integration/run covers that).
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { generateWorld } from "../mesh/model/world.ts";
import reference from "../operators/builtin/reference/index.ts";
import type { KindSpec, ObjectTemplate, OperatorDefinition } from "../operators/definition.ts";
import { seededRandom } from "../random/seeded.ts";
import type { KubeObjects, ResourceRef } from "./kube/client.ts";
import { ObjectLedger } from "./objects/ledger.ts";
import {
  createObject,
  deleteObject,
  nextAbsentSite,
  type OperationContext,
  updateObject,
} from "./operations.ts";

/** A kind of another API group whose template records what it was asked for. */
function recordingKind(plural: string): KindSpec & { asked: unknown[][] } {
  const asked: unknown[][] = [];
  const template: ObjectTemplate = ({ index, seed, variant, site, settings }) => {
    asked.push([index, seed, variant, site?.name, settings]);
    return { spec: { index, seed, variant }, labels: { tier: "edge" } };
  };
  return {
    group: "example.test",
    version: "v2",
    plural,
    kind: plural === "sites" ? "Site" : "Policy",
    template,
    ready: () => true,
    failed: () => undefined,
    updateObserved: () => true,
    asked,
  };
}

function context(sites: number, kinds: OperationContext["kinds"] = (reference as OperatorDefinition).kinds) {
  const calls: string[] = [];
  const sent: Array<{ path: string; spec: unknown; labels?: unknown }> = [];
  let generation = 0;
  const pathOf = (r: ResourceRef, name: string) => `${r.group}/${r.version}/${r.plural}/${name}`;
  const objects = {
    create: async (
      kind: ResourceRef,
      _ns: string,
      name: string,
      spec: Record<string, unknown>,
      labels?: Record<string, string>,
    ) => {
      calls.push(`create ${kind.kind} ${name} ${JSON.stringify(spec.region)}`);
      sent.push({ path: pathOf(kind, name), spec, labels });
      return { metadata: { generation: ++generation } };
    },
    patchSpec: async (kind: ResourceRef, _ns: string, name: string, spec: Record<string, unknown>) => {
      sent.push({ path: pathOf(kind, name), spec });
      return { metadata: { generation: ++generation } };
    },
    delete: async (kind: ResourceRef, _ns: string, name: string) => {
      calls.push(`delete ${kind.kind} ${name}`);
      return {};
    },
  } as unknown as KubeObjects;
  const ctx: OperationContext = {
    objects,
    ledger: new ObjectLedger(),
    namespace: "ns",
    world: generateWorld({ sites, regions: 2, hubsPerRegion: 1, seed: 3 }),
    random: seededRandom(1),
    runId: "test",
    cursor: { policy: 0 },
    kinds,
    seed: 11,
  };
  return { ctx, calls, sent };
}

it("creates and updates objects from the definition's templates, in its group, with its labels", async () => {
  const site = recordingKind("sites");
  const policy = recordingKind("policies");
  const { ctx, sent } = context(3, { Site: site, Policy: policy });
  const [a, b] = ctx.world.sites.map((s) => s.name);
  await createObject(ctx, "site");
  await createObject(ctx, "site");
  await createObject(ctx, "policy", { class: "voice" });
  await updateObject(ctx, "site", b);
  await updateObject(ctx, "site", b);
  assert.deepEqual(site.asked, [
    [0, 11, 0, a, undefined],
    [1, 11, 0, b, undefined],
    [1, 11, 1, b, undefined],
    [1, 11, 2, b, undefined],
  ]);
  assert.deepEqual(policy.asked, [[0, 11, 0, undefined, { class: "voice" }]]);
  assert.deepEqual(
    sent.map((s) => s.path),
    [
      `example.test/v2/sites/${a}`,
      `example.test/v2/sites/${b}`,
      "example.test/v2/policies/policy-00000",
      `example.test/v2/sites/${b}`,
      `example.test/v2/sites/${b}`,
    ],
  );
  assert.deepEqual(sent[0]?.labels, { tier: "edge", "bench.patronus.io/run": "test" });
  assert.deepEqual(ctx.ledger.get("site", b as string)?.spec, { index: 1, seed: 11, variant: 2 });
  assert.deepEqual(ctx.ledger.get("site", b as string)?.template, { index: 1, variant: 2 });
});

it("refuses to drive a kind the operator does not serve", async () => {
  const { ctx } = context(2, { Site: recordingKind("sites") });
  await assert.rejects(createObject(ctx, "policy"), /no Policy resource/);
});

it("creates world Sites in world order with their world spec, and stops when all exist", async () => {
  const { ctx, calls } = context(4);
  const [a, b, c, d] = ctx.world.sites.map((s) => s.name);
  for (let i = 0; i < 4; i++) assert.equal(await createObject(ctx, "site"), true);
  assert.equal(await createObject(ctx, "site"), false, "every world Site exists");
  assert.deepEqual(
    calls,
    ctx.world.sites.map((s) => `create Site ${s.name} ${JSON.stringify(s.region)}`),
  );
  assert.deepEqual([a, b, c, d], [...ctx.ledger.liveNames("site")]);
});

it("re-creates a deleted Site only after it is gone, and never one a create holds", async () => {
  const { ctx } = context(3);
  const [a, b, c] = ctx.world.sites.map((s) => s.name);
  const first = createObject(ctx, "site"); // in flight until awaited
  assert.equal(nextAbsentSite(ctx), b, "the Site being created is not offered again");
  await first;
  await createObject(ctx, "site");
  assert.equal(await deleteObject(ctx, "site", a), true);
  assert.equal(nextAbsentSite(ctx), c, "a deleted Site lingers until observed gone");
  ctx.ledger.gone("site", a as string);
  assert.equal(nextAbsentSite(ctx), a);
  assert.equal(await createObject(ctx, "site"), true);
  assert.equal(ctx.ledger.get("site", a as string)?.state, "live");
});

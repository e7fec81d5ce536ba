/**
 * The load driver's choice of targets. The cluster side is a recorder of calls here (the
 * driver's bookkeeping is under test, not the apiserver; test/integration/run covers that).
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { generateWorld } from "../mesh/model/world.ts";
import { seededRandom } from "../random/seeded.ts";
import type { KubeObjects } from "./kube/client.ts";
import { ObjectLedger } from "./objects/ledger.ts";
import { createObject, deleteObject, nextAbsentSite, type OperationContext } from "./operations.ts";

function context(sites: number) {
  const calls: string[] = [];
  let generation = 0;
  const objects = {
    create: async (kind: string, _ns: string, name: string, spec: Record<string, unknown>) => {
      calls.push(`create ${kind} ${name} ${JSON.stringify(spec.region)}`);
      return { metadata: { generation: ++generation } };
    },
    delete: async (kind: string, _ns: string, name: string) => {
      calls.push(`delete ${kind} ${name}`);
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
  };
  return { ctx, calls };
}

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

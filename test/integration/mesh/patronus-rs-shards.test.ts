/**
 * The patronus-rs dialect behind the shard router: the operator's calls go to the owning shard
 * with the caller passed on, every shard learns the world links of sites registered elsewhere (so
 * tunnels across shards are modelled), and the router answers the request log (each call once,
 * with its caller) and the received state merged from the shards.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { TelemetrySnapshot } from "../../../contract/patronus-api/v1.ts";
import { type MeshSimulator, startMeshSimulator } from "../../../harness/mesh/index.ts";
import { type ShardRouter, startShardRouter } from "../../../harness/mesh/router/index.ts";
import { call } from "./helpers.ts";

const TOKEN = "shard-test-token-0123456789";
const WORLD = {
  dialect: "patronus-rs",
  sites: 12,
  regions: 2,
  hubsPerRegion: 1,
  seed: 3,
  tickMs: 100,
  linkEventProbability: 0,
  token: TOKEN,
} as const;
const KEY = "YjE2OTNkMWQxYzYwZGU3ZWZhMDU4MWU3YzU4MTU4MD0=";

let replicas: MeshSimulator[];
let router: ShardRouter;

before(async () => {
  replicas = await Promise.all(
    [0, 1].map((index) => startMeshSimulator({ ...WORLD, shard: { index, count: 2 } })),
  );
  router = await startShardRouter({ ...WORLD, replicas: replicas.map((r) => r.url) });
});
after(async () => {
  await router?.stop();
  await Promise.all((replicas ?? []).map((r) => r.stop()));
});

const body = (name: string) => ({
  name,
  location: "lab",
  wireguard: { public_key: KEY, listen_port: 51820, endpoints: ["10.0.0.1:51820"] },
  resources: null,
  mesh: null,
});

test("sites registered through the router reach their shard with the caller; the whole world is modelled", async () => {
  const world = replicas[0]!.world;
  for (const s of world.sites) {
    const res = await call(
      router.callerUrl("replica-1"),
      undefined,
      "PUT",
      `/api/v1/sites/${s.name}`,
      body(s.name),
    );
    assert.equal(res.status, 201, s.name);
  }
  const policy = await call(router.callerUrl("replica-1"), undefined, "PUT", "/api/v1/policies/p", {
    priority: 1,
    match: {},
    action: { type: "drop" },
  });
  assert.equal(policy.status, 201);

  const merged = await router.faults.received();
  assert.deepEqual(
    merged.sites.map((s) => s.name),
    world.sites.map((s) => s.name),
  );
  assert.ok(
    merged.sites.every((s) => s.caller === "replica-1"),
    "the shards saw the caller passed on",
  );
  assert.deepEqual(
    merged.policies.map((p) => p.name),
    ["p"],
  );
  for (const r of replicas) {
    const own = (await r.faults.requests()).requests;
    const puts = own.filter((e) => e.method === "PUT");
    assert.ok(
      puts.length > 0 && puts.every((e) => e.caller === "replica-1"),
      "the client's calls keep its caller",
    );
    const feeds = own.filter((e) => e.route.includes("telemetry"));
    assert.ok(
      feeds.length > 0 && feeds.every((e) => e.caller === "shard-router"),
      "the router's own are its",
    );
  }
  const front = (await router.faults.requests()).requests;
  assert.equal(front.length, world.sites.length + 1, "each client call once, at the front");
  assert.ok(front.every((e) => e.caller === "replica-1" && e.outcome === "answered"));

  const deadline = Date.now() + 10_000;
  for (;;) {
    const snap = (await call(router.url, TOKEN, "GET", "/api/v1/telemetry/snapshot"))
      .body as TelemetrySnapshot;
    if (snap.tunnels.length === world.tunnels.length) break;
    assert.ok(Date.now() < deadline, `telemetry of ${snap.tunnels.length}/${world.tunnels.length} tunnels`);
    await new Promise((r) => setTimeout(r, 100));
  }

  const name = world.sites.at(-1)!.name;
  assert.equal(
    (await call(router.callerUrl("replica-2"), undefined, "DELETE", `/api/v1/sites/${name}`)).status,
    204,
  );
  assert.equal(
    (await call(router.callerUrl("replica-2"), undefined, "DELETE", `/api/v1/sites/${name}`)).status,
    404,
  );
  const after = await router.faults.received();
  assert.equal(after.sites.length, world.sites.length - 1);
  assert.deepEqual(
    after.deletions.map((d) => [d.kind, d.name, d.caller]),
    [["site", name, "replica-2"]],
  );
});

/**
 * Three simulator replicas behind the shard router against one unsharded simulator of the same
 * world and seed: a client sees the same API behaviour (sites paged by name, registration,
 * routing and policy operations with unique ids and per-site confirmations, errors), the same
 * telemetry (tunnel set and values), resumes the merged stream with the router's cursor without
 * gap or duplicate, and a fault on a site reaches the shards modelling its tunnels — including a
 * spoke's traffic over a tunnel streamed by another shard.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type {
  Operation,
  SiteList,
  TelemetrySnapshot,
  TelemetryUpdate,
  TunnelTelemetry,
} from "../../../contract/patronus-api/v1.ts";
import { OBSERVER_HEADER } from "../../../harness/mesh/faults/schema.ts";
import { type MeshSimulator, startMeshSimulator } from "../../../harness/mesh/index.ts";
import { type ShardRouter, startShardRouter } from "../../../harness/mesh/router/index.ts";
import { call, OpenApiChecker, openStream } from "./helpers.ts";

const SHARDS = 3;
const TOKEN = "shard-test-token-0123456789";
// A tick far in the future and no link events: only faults change telemetry, so the sharded and
// the single simulator publish the same values.
const WORLD = {
  sites: 60,
  regions: 4,
  hubsPerRegion: 1,
  seed: 7,
  preload: true,
  tickMs: 60_000,
  linkEventProbability: 0,
  applyDelayMs: { minMs: 5, maxMs: 20 },
  token: TOKEN,
} as const;

let single: MeshSimulator;
let replicas: MeshSimulator[];
let router: ShardRouter;
const checker = new OpenApiChecker();

before(async () => {
  single = await startMeshSimulator(WORLD);
  replicas = await Promise.all(
    Array.from({ length: SHARDS }, (_, index) =>
      startMeshSimulator({ ...WORLD, shard: { index, count: SHARDS } }),
    ),
  );
  router = await startShardRouter({ ...WORLD, replicas: replicas.map((r) => r.url) });
});
after(async () => {
  await router?.stop();
  await Promise.all([single, ...(replicas ?? [])].map((s) => s?.stop()));
});

const strip = (tunnels: readonly TunnelTelemetry[]) =>
  tunnels.map(({ at: _, ...t }) => t).sort((a, b) => (a.id < b.id ? -1 : 1));

async function snapshotOf(url: string): Promise<TelemetrySnapshot> {
  const r = await call(url, TOKEN, "GET", "/api/v1/telemetry/snapshot");
  assert.equal(r.status, 200);
  return r.body as TelemetrySnapshot;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("the router's telemetry is the union of the shards and equals the single simulator's", async () => {
  const merged = await snapshotOf(router.url);
  checker.check("GET", "/api/v1/telemetry/snapshot", { status: 200, body: merged });
  assert.equal(merged.tunnels.length, single.world.tunnels.length);
  assert.deepEqual(strip(merged.tunnels), strip((await snapshotOf(single.url)).tunnels));
  const parts = await Promise.all(replicas.map((r) => snapshotOf(r.url)));
  for (const p of parts) assert.ok(p.tunnels.length > 0, "every shard streams a part");
  assert.equal(
    parts.reduce((n, p) => n + p.tunnels.length, 0),
    merged.tunnels.length,
    "shards stream disjoint parts",
  );
});

test("sites: pages by name, per-site calls, registration and errors as one simulator", async () => {
  const names = async (url: string) => {
    const out: string[] = [];
    let cont: string | undefined;
    do {
      const r = await call(url, TOKEN, "GET", `/api/v1/sites?limit=7${cont ? `&continue=${cont}` : ""}`);
      checker.check("GET", "/api/v1/sites", r);
      const page = r.body as SiteList;
      out.push(...page.items.map((s) => s.name));
      cont = page.continue;
    } while (cont);
    return out;
  };
  assert.deepEqual(await names(router.url), await names(single.url));

  const site = single.world.sites[41]!;
  const [a, b] = await Promise.all(
    [single.url, router.url].map((u) => call(u, TOKEN, "GET", `/api/v1/sites/${site.name}`)),
  );
  assert.equal(b!.status, 200);
  const untimed = (x: unknown) => {
    const { registeredAt: _r, updatedAt: _u, ...rest } = x as Record<string, unknown>;
    return rest;
  };
  assert.deepEqual(untimed(b!.body), untimed(a!.body));

  const branch = {
    name: "branch-east",
    region: "region-001",
    hub: false,
    links: [{ name: "lte-0", type: "lte", bandwidthMbps: 50, cost: 10 }],
  };
  for (const url of [single.url, router.url]) {
    assert.equal((await call(url, TOKEN, "POST", "/api/v1/sites", branch)).status, 201);
    assert.equal((await call(url, TOKEN, "POST", "/api/v1/sites", branch)).status, 200, "idempotent");
    const conflict = await call(url, TOKEN, "POST", "/api/v1/sites", { ...branch, hub: true });
    assert.equal(conflict.status, 409);
    const bad = await call(url, TOKEN, "POST", "/api/v1/sites", {
      ...branch,
      links: [{ ...branch.links[0], type: "dsl" }],
    });
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { field: string }).field, "links[0].type");
    assert.equal((await call(url, undefined, "GET", "/api/v1/sites/branch-east")).status, 401);
    assert.equal((await call(url, TOKEN, "GET", "/api/v1/sites/nowhere")).status, 404);
  }
  const owner = router.shards.ownerOf("branch-east");
  const held = await Promise.all(replicas.map((r) => call(r.url, TOKEN, "GET", "/api/v1/sites/branch-east")));
  assert.deepEqual(
    held.map((r) => r.status),
    replicas.map((_, i) => (i === owner ? 200 : 404)),
    "only its owner registers it",
  );
  assert.equal((await call(router.url, TOKEN, "DELETE", "/api/v1/sites/branch-east")).status, 204);
  assert.equal((await call(router.url, TOKEN, "GET", "/api/v1/sites/branch-east")).status, 404);
});

test("operations: unique ids across shards, per-site confirmations aggregated, 409 as one simulator", async () => {
  // One spoke per shard, each routed over its first tunnel.
  const spokes = replicas.map(
    (_, i) => single.world.sites.find((s) => !s.hub && router.shards.ownerOf(s.name) === i)!,
  );
  const ids: string[] = [];
  for (const spoke of spokes) {
    const tunnel = single.world.tunnels.find((t) => t.siteA === spoke.name || t.siteB === spoke.name)!;
    const r = await call(router.url, TOKEN, "PUT", `/api/v1/sites/${spoke.name}/routing`, {
      classes: [{ class: "voice", activeTunnel: tunnel.id, backups: [] }],
    });
    checker.check("PUT", "/api/v1/sites/{name}/routing", r);
    ids.push((r.body as Operation).id);
  }
  assert.equal(new Set(ids).size, ids.length, `operation ids are unique: ${ids.join(", ")}`);
  for (const id of ids) {
    const op = await until(`operation ${id}`, async () => {
      const r = await call(router.url, TOKEN, "GET", `/api/v1/operations/${id}`);
      return (r.body as Operation).state === "Applied" ? (r.body as Operation) : undefined;
    });
    assert.equal(op.id, id);
  }

  const policySites = [...spokes.map((s) => s.name), single.world.sites[0]!.name];
  const spec = {
    class: "voice",
    sites: policySites,
    sla: { maxLatencyMs: 150, maxJitterMs: 30, maxLossPercent: 1 },
    preferredLinks: ["mpls"],
  };
  assert.equal((await call(router.url, TOKEN, "PUT", "/api/v1/policies/voice", spec)).status, 200);
  const applied = await call(router.url, TOKEN, "POST", "/api/v1/policies/voice/apply");
  checker.check("POST", "/api/v1/policies/{name}/apply", applied);
  const opId = (applied.body as Operation).id;
  assert.ok(!ids.includes(opId));
  const op = await until("policy operation", async () => {
    const r = await call(router.url, TOKEN, "GET", `/api/v1/operations/${opId}`);
    checker.check("GET", "/api/v1/operations/{id}", r);
    return (r.body as Operation).state === "Applied" ? (r.body as Operation) : undefined;
  });
  assert.deepEqual(
    op.sites.map((s) => s.site),
    policySites,
    "every site, in the policy's order",
  );
  assert.ok(op.sites.every((s) => s.appliedAt && s.appliedAt <= op.convergedAt!));
  const converged = await until("one operation.converged", async () => {
    const page = await router.faults.events(0, { kinds: ["operation.converged"] });
    return page.events.find((e) => e.detail.operationId === opId);
  });
  assert.equal(converged.detail.sites, policySites.length);

  const missing = { ...spec, sites: [policySites[0], "not-registered"] };
  for (const url of [single.url, router.url]) {
    await call(url, TOKEN, "PUT", "/api/v1/policies/gone", missing);
    const r = await call(url, TOKEN, "POST", "/api/v1/policies/gone/apply");
    assert.equal(r.status, 409);
    assert.match((r.body as { message: string }).message, /1 unregistered site\(s\): not-registered/);
  }
});

test("the merged stream resumes with the router's cursor; a site fault reaches the shards modelling it", async () => {
  const url = `${router.url}/api/v1/telemetry/stream`;
  const first = await openStream(url, TOKEN);
  const snap = JSON.parse((await first.stream.next()).data) as TelemetrySnapshot;
  // A spoke routed over a tunnel another shard streams (its hub is elsewhere): a shadow tunnel.
  const cross = single.world.tunnels.find((t) => {
    const b = single.world.sites.find((s) => s.name === t.siteB)!;
    return !b.hub && router.shards.ownerOf(t.siteA) !== router.shards.ownerOf(t.siteB);
  });
  assert.ok(cross, "the world has a tunnel between shards");
  const spoke = cross.siteB;
  const pushed = await call(router.url, TOKEN, "PUT", `/api/v1/sites/${spoke}/routing`, {
    classes: [{ class: "video", activeTunnel: cross.id, backups: [] }],
  });
  assert.equal(pushed.status, 202, pushed.text);
  // This push, not an earlier one (the spoke may have been routed by the previous test).
  const opId = (pushed.body as Operation).id;
  await until("routing applied", async () => {
    const r = await call(router.url, TOKEN, "GET", `/api/v1/sites/${spoke}/routing`);
    return (r.body as { operationId?: string }).operationId === opId ? true : undefined;
  });
  const since = (await router.faults.events(0)).lastSeq;

  const target = { kind: "site" as const, site: cross.siteA };
  const fault = await router.faults.fail(target);
  const expected = await single.faults.fail(target);
  assert.equal(
    fault.affectedTunnels,
    expected.affectedTunnels,
    `affected tunnels summed over shards: ${JSON.stringify(fault)}`,
  );
  const update = JSON.parse((await first.stream.next()).data) as TelemetryUpdate;
  assert.equal(update.cursor, snap.cursor + 1, `no gap: ${JSON.stringify(update).slice(0, 300)}`);
  first.stream.close();

  // While disconnected: restore, which brings the tunnels back up.
  await router.faults.restore(target);
  await single.faults.restore(target);
  const resumed = await openStream(`${url}?cursor=${update.cursor}`, TOKEN);
  const next = await resumed.stream.next();
  assert.equal(next.event, "update", "a resume inside the window replays, no snapshot");
  assert.equal(Number(next.id), update.cursor + 1);
  resumed.stream.close();
  await until("the same telemetry again", async () => {
    const [a, b] = await Promise.all([snapshotOf(router.url), snapshotOf(single.url)]);
    return JSON.stringify(strip(a.tunnels)) === JSON.stringify(strip(b.tunnels)) ? true : undefined;
  });

  // The fault reached the spoke's own shard, which saw its traffic interrupted over the other
  // shard's tunnel; the router logs the fault once, under its own id.
  const page = await router.faults.events(since, {
    kinds: ["fault.injected", "traffic.interrupted", "fault.cleared"],
  });
  const injected = page.events.filter((e) => e.kind === "fault.injected");
  assert.equal(injected.length, 1);
  assert.equal(injected[0]!.detail.id, fault.id);
  const carries = (e: { detail: Record<string, unknown> }) =>
    (e.detail.carried as { site: string; class: string }[]).some(
      (c) => c.site === spoke && c.class === "video",
    );
  const interrupted = page.events.find((e) => e.kind === "traffic.interrupted" && carries(e));
  assert.ok(interrupted, "the spoke's video traffic was interrupted, in the router's log");
  assert.equal(interrupted.detail.shard, router.shards.ownerOf(spoke));
  assert.equal(interrupted.detail.tunnel, cross.id);
  assert.equal(page.events.filter((e) => e.kind === "fault.cleared").length, 1);
});

test("a shard's stream cut under the router is resumed: clients see consecutive cursors and the same telemetry", async () => {
  const url = `${router.url}/api/v1/telemetry/stream`;
  const client = await openStream(url, TOKEN);
  const snap = JSON.parse((await client.stream.next()).data) as TelemetrySnapshot;
  // Cut every shard's stream to the router at once, refusing reconnects for a while.
  await Promise.all(replicas.map((r) => r.faults.api({ kind: "drop-stream", refuseMs: 300 })));
  const spoke = single.world.sites.find((s) => !s.hub && router.shards.ownerOf(s.name) === 1)!;
  const target = { kind: "link" as const, site: spoke.name, link: spoke.links[0]!.name };
  await router.faults.degrade({ target, addLatencyMs: 400 });
  await single.faults.degrade({ target, addLatencyMs: 400 });
  const update = JSON.parse((await client.stream.next(10_000)).data) as TelemetryUpdate;
  assert.equal(update.cursor, snap.cursor + 1, "no gap after the shards' streams were cut");
  assert.ok(update.tunnels.some((t) => t.id.includes(spoke.name)));
  client.stream.close();
  await until("the same telemetry", async () => {
    const [a, b] = await Promise.all([snapshotOf(router.url), snapshotOf(single.url)]);
    return JSON.stringify(strip(a.tunnels)) === JSON.stringify(strip(b.tunnels)) ? true : undefined;
  });
  await router.faults.restore(target);
  await single.faults.restore(target);
});

test("Patronus API faults act on the router, the front the operator talks to", async () => {
  const fault = await router.faults.api({ kind: "unavailable", durationMs: 60_000 });
  const r = await call(router.url, TOKEN, "GET", "/api/v1/sites?limit=1");
  assert.equal(r.status, 503);
  assert.ok(Number(r.headers.get("retry-after")) >= 1);
  const observed = await call(router.url, TOKEN, "GET", "/api/v1/sites?limit=1", undefined, {
    headers: { [OBSERVER_HEADER]: "harness" },
  });
  assert.equal(observed.status, 200, "observer reads pass the router's fault");
  assert.ok((await router.faults.list()).some((f) => f.id === fault.id));
  await router.faults.clear(fault.id);
  assert.equal((await call(router.url, TOKEN, "GET", "/api/v1/sites?limit=1")).status, 200);
  const page = await router.faults.events(0, { kinds: ["fault.injected", "fault.cleared"] });
  assert.ok(page.events.some((e) => e.kind === "fault.cleared" && e.detail.id === fault.id));
});

test("a site registered through the router is known to every shard: tunnels to it across shards are modelled", async () => {
  const edge = {
    name: "zz-edge",
    region: "region-000",
    hub: false,
    links: [{ name: "internet-0", type: "internet", bandwidthMbps: 100, cost: 5 }],
  };
  const owner = router.shards.ownerOf(edge.name);
  // A hub on another shard streams the tunnel (its name sorts first); the edge's shard only models it.
  const hub = single.world.sites.find((s) => s.hub && router.shards.ownerOf(s.name) !== owner)!;
  const tunnel = {
    id: `${hub.name}.${edge.name}.internet-0.internet-0`,
    siteA: hub.name,
    siteB: edge.name,
    linkA: "internet-0",
    linkB: "internet-0",
  };
  const ids = async (url: string) => new Set((await snapshotOf(url)).tunnels.map((t) => t.id));
  for (const url of [single.url, router.url]) {
    assert.equal((await call(url, TOKEN, "POST", "/api/v1/sites", edge)).status, 201);
    const programmed = await call(url, TOKEN, "PUT", "/api/v1/meshes/edge/tunnels", { tunnels: [tunnel] });
    assert.equal(programmed.status, 200);
    assert.deepEqual(programmed.body, {
      mesh: "edge",
      tunnels: 1,
      added: 1,
      removed: 0,
      modeled: single.world.tunnels.length + 1,
    });
    await until(`tunnel on ${url}`, async () => ((await ids(url)).has(tunnel.id) ? true : undefined));
  }
  const [a, b] = await Promise.all([snapshotOf(router.url), snapshotOf(single.url)]);
  assert.deepEqual(strip(a.tunnels), strip(b.tunnels));
  for (const url of [single.url, router.url]) {
    assert.equal((await call(url, TOKEN, "DELETE", `/api/v1/sites/${edge.name}`)).status, 204);
    await until(`tunnel gone on ${url}`, async () => (!(await ids(url)).has(tunnel.id) ? true : undefined));
    assert.equal((await call(url, TOKEN, "DELETE", "/api/v1/meshes/edge/tunnels")).status, 204);
  }
});

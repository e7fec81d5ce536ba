/**
 * The Patronus API as served by the simulator, checked end to end against the committed OpenAPI
 * document: every endpoint's success path and its documented errors, with ajv validating each
 * real response body.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Operation, Site } from "../../../contract/patronus-api/v1.ts";
import { type MeshSimulator, startMeshSimulator } from "../../../harness/mesh/index.ts";
import { computeTunnels } from "../../../harness/mesh/topology/tunnels.ts";
import { call, OpenApiChecker } from "./helpers.ts";

let sim: MeshSimulator;
const checker = new OpenApiChecker();
const API = "/api/v1";

async function api(method: string, pattern: string, path: string, body?: unknown) {
  const res = await call(sim.url, sim.token, method, path, body);
  checker.check(method, pattern, res);
  return res;
}

async function waitApplied(id: string): Promise<Operation> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await api("GET", `${API}/operations/{id}`, `${API}/operations/${id}`);
    const op = res.body as Operation;
    if (op.state === "Applied" || Date.now() > deadline) return op;
    await new Promise((r) => setTimeout(r, 20));
  }
}

before(async () => {
  sim = await startMeshSimulator({
    sites: 12,
    regions: 2,
    hubsPerRegion: 1,
    tickMs: 100,
    linkEventProbability: 0,
  });
});
after(() => sim.stop());

test("sites: register (idempotent), get, list paged, update, conflict, deregister", async () => {
  const [a, b, c] = sim.world.sites;
  assert.ok(a && b && c);
  const created = await api("POST", `${API}/sites`, `${API}/sites`, a);
  assert.equal(created.status, 201);
  const again = await api("POST", `${API}/sites`, `${API}/sites`, a);
  assert.equal(again.status, 200, "same name and spec is idempotent");
  assert.equal((again.body as Site).id, (created.body as Site).id);
  const conflict = await api("POST", `${API}/sites`, `${API}/sites`, { ...a, hub: !a.hub });
  assert.equal(conflict.status, 409);
  for (const s of sim.world.sites.slice(1))
    assert.equal((await api("POST", `${API}/sites`, `${API}/sites`, s)).status, 201);

  const got = await api("GET", `${API}/sites/{name}`, `${API}/sites/${b.name}`);
  assert.equal((got.body as Site).spec.region, b.region);

  const names: string[] = [];
  let token: string | undefined;
  do {
    const q = token ? `?limit=5&continue=${token}` : "?limit=5";
    const page = await api("GET", `${API}/sites`, `${API}/sites${q}`);
    const body = page.body as { items: Site[]; continue?: string };
    assert.ok(body.items.length <= 5);
    names.push(...body.items.map((s) => s.name));
    token = body.continue;
  } while (token);
  assert.deepEqual(
    names,
    sim.world.sites.map((s) => s.name),
    "pages cover every site once, in name order",
  );

  const links = c.links.map((l) => ({ ...l, cost: l.cost + 1 }));
  const updated = await api("PUT", `${API}/sites/{name}`, `${API}/sites/${c.name}`, {
    region: c.region,
    hub: c.hub,
    links,
  });
  assert.equal((updated.body as Site).revision, 2);
  const unchanged = await api("PUT", `${API}/sites/{name}`, `${API}/sites/${c.name}`, {
    region: c.region,
    hub: c.hub,
    links,
  });
  assert.equal((unchanged.body as Site).revision, 2, "an unchanged spec keeps the revision");
  assert.equal(
    (await api("PUT", `${API}/sites/{name}`, `${API}/sites/nope`, { region: c.region, hub: c.hub, links }))
      .status,
    404,
  );

  const last = sim.world.sites.at(-1)!;
  assert.equal((await api("DELETE", `${API}/sites/{name}`, `${API}/sites/${last.name}`)).status, 204);
  assert.equal((await api("DELETE", `${API}/sites/{name}`, `${API}/sites/${last.name}`)).status, 404);
  assert.equal((await api("GET", `${API}/sites/{name}`, `${API}/sites/${last.name}`)).status, 404);
  assert.equal((await api("POST", `${API}/sites`, `${API}/sites`, last)).status, 201);
});

test("meshes, telemetry snapshot, routing operations and reroute events", async () => {
  const tunnels = computeTunnels(sim.world.sites, { kind: "hub-spoke" });
  const programmed = await api("PUT", `${API}/meshes/{name}/tunnels`, `${API}/meshes/m1/tunnels`, {
    tunnels,
  });
  assert.equal(programmed.status, 200);
  assert.deepEqual(programmed.body, {
    mesh: "m1",
    tunnels: tunnels.length,
    added: tunnels.length,
    removed: 0,
    modeled: tunnels.length,
  });
  const listed = await api("GET", `${API}/meshes/{name}/tunnels`, `${API}/meshes/m1/tunnels`);
  assert.equal((listed.body as { tunnels: unknown[] }).tunnels.length, tunnels.length);

  // Telemetry appears after the coalesced evaluation.
  await new Promise((r) => setTimeout(r, 50));
  const snap = await api("GET", `${API}/telemetry/snapshot`, `${API}/telemetry/snapshot`);
  const ids = (snap.body as { tunnels: { id: string }[] }).tunnels.map((t) => t.id).sort();
  assert.deepEqual(ids, tunnels.map((t) => t.id).sort());

  const spoke = sim.world.sites.find((s) => !s.hub)!;
  const own = tunnels.filter((t) => t.siteA === spoke.name || t.siteB === spoke.name);
  assert.ok(own.length >= 2);
  const since = sim.events.lastSeq;
  const push = await api("PUT", `${API}/sites/{name}/routing`, `${API}/sites/${spoke.name}/routing`, {
    classes: [{ class: "voice", activeTunnel: own[0]!.id, backups: [own[1]!.id] }],
  });
  assert.equal(push.status, 202);
  const op = await waitApplied((push.body as Operation).id);
  assert.equal(op.state, "Applied");
  assert.ok(op.sites[0]?.appliedAt && op.convergedAt);
  const applyMs = Date.parse(op.sites[0].appliedAt) - Date.parse(op.submittedAt);
  assert.ok(applyMs >= 5 && applyMs < 500, `apply delay ${applyMs} ms is the simulated tens of ms`);
  const reroute = await sim.events.waitFor((e) => e.kind === "reroute.applied", 1000, since);
  assert.deepEqual([reroute.detail.site, reroute.detail.to], [spoke.name, own[0]!.id]);
  const routing = await api("GET", `${API}/sites/{name}/routing`, `${API}/sites/${spoke.name}/routing`);
  assert.equal(
    (routing.body as { classes: { activeTunnel: string }[] }).classes[0]?.activeTunnel,
    own[0]!.id,
  );

  const foreign = tunnels.find((t) => t.siteA !== spoke.name && t.siteB !== spoke.name)!;
  const wrong = await api("PUT", `${API}/sites/{name}/routing`, `${API}/sites/${spoke.name}/routing`, {
    classes: [{ class: "voice", activeTunnel: foreign.id, backups: [] }],
  });
  assert.equal(wrong.status, 400);
  assert.equal((wrong.body as { field: string }).field, "classes[0].activeTunnel");
  assert.equal(
    (await api("PUT", `${API}/sites/{name}/routing`, `${API}/sites/ghost/routing`, { classes: [] })).status,
    404,
  );

  assert.equal((await api("DELETE", `${API}/meshes/{name}/tunnels`, `${API}/meshes/m1/tunnels`)).status, 204);
  assert.equal((await api("GET", `${API}/meshes/{name}/tunnels`, `${API}/meshes/m1/tunnels`)).status, 404);
});

test("policies: put, get, apply with per-site appliedAt and convergedAt, delete", async () => {
  const sites = sim.world.sites.slice(0, 6).map((s) => s.name);
  const spec = {
    class: "voice",
    sites,
    sla: { maxLatencyMs: 150, maxJitterMs: 30, maxLossPercent: 1 },
    preferredLinks: ["mpls", "internet"],
  };
  const put = await api("PUT", `${API}/policies/{name}`, `${API}/policies/voice`, spec);
  assert.equal(put.status, 200);
  assert.equal((put.body as { revision: number }).revision, 1);
  assert.equal(
    ((await api("PUT", `${API}/policies/{name}`, `${API}/policies/voice`, spec)).body as { revision: number })
      .revision,
    1,
  );
  assert.equal((await api("GET", `${API}/policies/{name}`, `${API}/policies/voice`)).status, 200);
  const applied = await api("POST", `${API}/policies/{name}/apply`, `${API}/policies/voice/apply`);
  assert.equal(applied.status, 202);
  const op = await waitApplied((applied.body as Operation).id);
  assert.equal(op.kind, "policy-apply");
  assert.deepEqual(
    op.sites.map((s) => s.site),
    sites,
  );
  assert.ok(op.sites.every((s) => s.appliedAt));
  const latest = Math.max(...op.sites.map((s) => Date.parse(s.appliedAt!)));
  assert.equal(Date.parse(op.convergedAt!), latest, "converged when the last site applied");

  await api("PUT", `${API}/policies/{name}`, `${API}/policies/ghosts`, { ...spec, sites: ["ghost-1"] });
  assert.equal(
    (await api("POST", `${API}/policies/{name}/apply`, `${API}/policies/ghosts/apply`)).status,
    409,
  );
  assert.equal((await api("DELETE", `${API}/policies/{name}`, `${API}/policies/voice`)).status, 204);
  assert.equal((await api("DELETE", `${API}/policies/{name}`, `${API}/policies/voice`)).status, 404);
  assert.equal(
    (await api("POST", `${API}/policies/{name}/apply`, `${API}/policies/voice/apply`)).status,
    404,
  );
  assert.equal((await api("GET", `${API}/operations/{id}`, `${API}/operations/op-999999`)).status, 404);
});

test("every documented Patronus API operation was exercised with a success status", () => {
  const missing: string[] = [];
  for (const [path, ops] of Object.entries(checker.doc.paths)) {
    if (!path.startsWith(API) || path.endsWith("/telemetry/stream")) continue;
    for (const [method, op] of Object.entries(ops)) {
      const ok = Object.keys(op.responses).filter((s) => s.startsWith("2"));
      if (!ok.some((s) => checker.seen.has(`${method.toUpperCase()} ${path} ${s}`)))
        missing.push(`${method} ${path}`);
    }
  }
  assert.deepEqual(missing, []);
  // The checker itself must be able to fail.
  assert.throws(
    () => checker.check("GET", `${API}/sites/{name}`, { status: 200, body: { name: "x" } }),
    /does not match/,
  );
  assert.throws(
    () => checker.check("GET", `${API}/sites/{name}`, { status: 418, body: {} }),
    /not documented/,
  );
});

/**
 * Every fault kind through the fault API's typed client, its effect on telemetry, and the event
 * log entries a failover scenario measures from (tunnels down at t, telemetry emitted at t,
 * reroute applied at t, traffic restored after an outage).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Operation, TelemetrySnapshot, Tunnel } from "../../../contract/patronus-api/v1.ts";
import { parsePrometheusText } from "../../../harness/measure/prometheus/parse.ts";
import type { MeshClientError } from "../../../harness/mesh/client/faults.ts";
import { OBSERVER_HEADER } from "../../../harness/mesh/faults/schema.ts";
import { type MeshSimulator, startMeshSimulator } from "../../../harness/mesh/index.ts";
import { call, openStream } from "./helpers.ts";

let sim: MeshSimulator;
const API = "/api/v1";

before(async () => {
  sim = await startMeshSimulator({
    sites: 8,
    regions: 2,
    hubsPerRegion: 1,
    preload: true,
    tickMs: 100,
    linkEventProbability: 0,
  });
});
after(() => sim.stop());

async function states(): Promise<Map<string, { state: string; latencyMs: number }>> {
  const res = await call(sim.url, sim.token, "GET", `${API}/telemetry/snapshot`);
  return new Map((res.body as TelemetrySnapshot).tunnels.map((t) => [t.id, t]));
}

const touching = (site: string) => sim.world.tunnels.filter((t) => t.siteA === site || t.siteB === site);
const settle = () => new Promise((r) => setTimeout(r, 30));

/** Successful GETs of one site so far, as the simulator's /metrics counts them. */
async function siteReads(): Promise<{ client: number; observer: number }> {
  const text = await (await fetch(`${sim.url}/metrics`)).text();
  const { samples } = parsePrometheusText(text, [
    "mesh_http_requests_total",
    "mesh_http_observer_requests_total",
  ]);
  const count = (name: string) =>
    samples
      .filter((s) => s.name === name && s.labels.method === "GET" && s.labels.code === "200")
      .filter((s) => s.labels.route === `${API}/sites/:name`)
      .reduce((sum, s) => sum + s.value, 0);
  return { client: count("mesh_http_requests_total"), observer: count("mesh_http_observer_requests_total") };
}

async function allUp(): Promise<void> {
  await settle();
  const s = await states();
  assert.ok(
    [...s.values()].every((t) => t.state === "Up"),
    "world back to all Up",
  );
}

test("fail/restore a link: its tunnels go Down at once, events record it, restore brings them back", async () => {
  const spoke = sim.world.sites.find((s) => !s.hub)!;
  const link = spoke.links[0]!;
  const over = touching(spoke.name).filter((t) => (t.siteA === spoke.name ? t.linkA : t.linkB) === link.name);
  const since = sim.events.lastSeq;
  const fault = await sim.faults.fail({ kind: "link", site: spoke.name, link: link.name });
  assert.equal(fault.affectedTunnels, over.length);
  const down = await sim.events.waitFor(
    (e) => e.kind === "tunnels.state" && (e.detail.down as string[]).length > 0,
    1000,
    since,
  );
  assert.deepEqual([...(down.detail.down as string[])].sort(), over.map((t) => t.id).sort());
  const emitted = await sim.events.waitFor((e) => e.kind === "telemetry.emitted", 1000, since);
  assert.equal(emitted.detail.cursor, down.detail.cursor);
  const s = await states();
  for (const t of over) assert.equal(s.get(t.id)?.state, "Down");
  const page = await sim.faults.events(since, { kinds: ["fault.injected", "tunnels.state"] });
  assert.deepEqual(page.events.map((e) => e.kind).slice(0, 2), ["fault.injected", "tunnels.state"]);
  assert.deepEqual(await sim.faults.restore({ kind: "link", site: spoke.name, link: link.name }), [fault.id]);
  await allUp();
});

test("fail a site for a duration: it expires by itself", async () => {
  const site = sim.world.sites.find((s) => !s.hub)!;
  const since = sim.events.lastSeq;
  const fault = await sim.faults.fail({ kind: "site", site: site.name }, 150);
  assert.ok(fault.expiresAt);
  await settle();
  const s = await states();
  for (const t of touching(site.name)) assert.equal(s.get(t.id)?.state, "Down");
  const cleared = await sim.events.waitFor(
    (e) => e.kind === "fault.cleared" && e.detail.id === fault.id,
    2000,
    since,
  );
  assert.equal(cleared.detail.reason, "expired");
  await allUp();
});

test("fail a hub (and refuse a non-hub as a hub), fail a region", async () => {
  const hub = sim.world.sites.find((s) => s.hub)!;
  const spoke = sim.world.sites.find((s) => !s.hub)!;
  await assert.rejects(
    sim.faults.fail({ kind: "hub", site: spoke.name }),
    (e: MeshClientError) => e.status === 400,
  );
  const f = await sim.faults.fail({ kind: "hub", site: hub.name });
  await settle();
  let s = await states();
  for (const t of touching(hub.name)) assert.equal(s.get(t.id)?.state, "Down");
  await sim.faults.clear(f.id);
  await allUp();

  const region = sim.world.regions[1]!;
  const inRegion = new Set(sim.world.sites.filter((x) => x.region === region).map((x) => x.name));
  const r = await sim.faults.fail({ kind: "region", region });
  await settle();
  s = await states();
  for (const t of sim.world.tunnels) {
    const expected = inRegion.has(t.siteA) || inRegion.has(t.siteB) ? "Down" : "Up";
    assert.equal(s.get(t.id)?.state, expected, t.id);
  }
  await assert.rejects(
    sim.faults.fail({ kind: "region", region: "nowhere" }),
    (e: MeshClientError) => e.status === 404,
  );
  await sim.faults.clear(r.id);
  await allUp();
});

test("degrade adds latency/loss (Degraded state) and expires after its duration", async () => {
  const spoke = sim.world.sites.find((s) => !s.hub)!;
  const t = touching(spoke.name)[0]!;
  const link = t.siteA === spoke.name ? t.linkA : t.linkB;
  const before = (await states()).get(t.id)!;
  const f = await sim.faults.degrade({
    target: { kind: "link", site: spoke.name, link },
    addLatencyMs: 400,
    addLossPercent: 3,
    durationMs: 200,
  });
  await settle();
  const during = (await states()).get(t.id)!;
  assert.equal(during.state, "Degraded");
  assert.ok(during.latencyMs >= before.latencyMs + 350, `${during.latencyMs} vs ${before.latencyMs}`);
  await sim.events.waitFor((e) => e.kind === "fault.cleared" && e.detail.id === f.id, 2000);
  await allUp();
});

test("flap: down/up every half period, count times, then completed", async () => {
  const spoke = sim.world.sites.find((s) => !s.hub)!;
  const since = sim.events.lastSeq;
  const f = await sim.faults.flap({ target: { kind: "site", site: spoke.name }, periodMs: 120, count: 2 });
  const done = await sim.events.waitFor(
    (e) => e.kind === "fault.cleared" && e.detail.id === f.id,
    3000,
    since,
  );
  assert.equal(done.detail.reason, "completed");
  const transitions = sim.events
    .since(since)
    .filter((e) => e.kind === "flap.transition" && e.detail.id === f.id);
  assert.deepEqual(
    transitions.map((e) => e.detail.down),
    [true, false, true, false],
  );
  const downs = sim.events
    .since(since)
    .filter((e) => e.kind === "tunnels.state" && (e.detail.counts as { down: number }).down > 0);
  assert.equal(downs.length, 2, "tunnels went down once per flap cycle");
  await allUp();
});

test("API faults: 503 window, added latency, connection resets, dropped telemetry stream", async () => {
  const path = `${API}/sites/${sim.world.sites[0]!.name}`;
  const u = await sim.faults.api({ kind: "unavailable", durationMs: 300 });
  const r503 = await call(sim.url, sim.token, "GET", path);
  assert.equal(r503.status, 503);
  assert.equal((r503.body as { code: string }).code, "unavailable");
  assert.ok(Number(r503.headers.get("retry-after")) >= 1);
  assert.equal(
    (await call(sim.url, sim.token, "GET", "/faults/v1/faults")).status,
    200,
    "fault API unaffected",
  );
  const before = await siteReads();
  const observed = await call(sim.url, sim.token, "GET", path, undefined, {
    headers: { [OBSERVER_HEADER]: "harness" },
  });
  assert.equal(observed.status, 200, "the harness's observer reads are not the operator's outage");
  assert.deepEqual(
    await siteReads(),
    { client: before.client, observer: before.observer + 1 },
    "an observer read is counted apart from the load of the clients under test",
  );
  await sim.faults.clear(u.id);
  assert.equal((await call(sim.url, sim.token, "GET", path)).status, 200);

  await sim.faults.api({ kind: "latency", latencyMs: 150, durationMs: 2000 });
  const t0 = performance.now();
  assert.equal((await call(sim.url, sim.token, "GET", path)).status, 200);
  assert.ok(performance.now() - t0 >= 140, "response delayed by the injected latency");
  await sim.faults.clearAll();

  await sim.faults.api({ kind: "reset", count: 2 });
  for (let i = 0; i < 2; i++)
    await assert.rejects(call(sim.url, sim.token, "GET", path), /fetch failed|ECONNRESET|other side closed/);
  assert.equal((await call(sim.url, sim.token, "GET", path)).status, 200, "resets stop after count");

  const { stream } = await openStream(`${sim.apiUrl}/telemetry/stream`, sim.token);
  assert.equal((await stream.next()).event, "snapshot");
  await sim.faults.api({ kind: "drop-stream", refuseMs: 300 });
  await assert.rejects(stream.closed.then(() => stream.next(1000)));
  const refused = await call(sim.url, sim.token, "GET", `${API}/telemetry/stream`);
  assert.equal(refused.status, 503);
  await new Promise((r) => setTimeout(r, 350));
  const again = await openStream(`${sim.apiUrl}/telemetry/stream`, sim.token);
  assert.equal(again.status, 200);
  again.stream.close();
});

test("failover end to end: traffic interrupted when its tunnel fails, restored when the reroute applies", async () => {
  const otherEnd = (t: Tunnel, site: string) => (t.siteA === site ? t.siteB : t.siteA);
  // A spoke reaches two hubs; the backup must go to the hub that does not fail.
  const spoke = sim.world.sites.find(
    (s) => !s.hub && new Set(touching(s.name).map((t) => otherEnd(t, s.name))).size >= 2,
  )!;
  const primary = touching(spoke.name)[0]!;
  const hubEnd = otherEnd(primary, spoke.name);
  const backup = touching(spoke.name).find((t) => otherEnd(t, spoke.name) !== hubEnd)!;
  const push = async (active: string) => {
    const res = await call(sim.url, sim.token, "PUT", `${API}/sites/${spoke.name}/routing`, {
      classes: [{ class: "voice", activeTunnel: active, backups: [] }],
    });
    assert.equal(res.status, 202);
    return res.body as Operation;
  };
  await push(primary.id);
  await sim.events.waitFor((e) => e.kind === "routing.applied" && e.detail.site === spoke.name, 1000);
  const since = sim.events.lastSeq;
  await sim.faults.fail({ kind: "site", site: hubEnd });
  const interrupted = await sim.events.waitFor((e) => e.kind === "traffic.interrupted", 1000, since);
  assert.equal(interrupted.detail.tunnel, primary.id);
  const op = await push(backup.id);
  const restored = await sim.events.waitFor((e) => e.kind === "traffic.restored", 2000, since);
  assert.deepEqual(
    [restored.detail.site, restored.detail.to, restored.detail.reason],
    [spoke.name, backup.id, "reroute"],
  );
  assert.ok((restored.detail.outageMs as number) > 0);
  const reroute = sim.events
    .since(since)
    .find((e) => e.kind === "reroute.applied" && e.detail.operationId === op.id);
  assert.ok(reroute && reroute.atMs <= restored.atMs);
  await sim.faults.clearAll();
  await allUp();
});

test("a routing push to a failed site waits for the site to come back", async () => {
  const spoke = sim.world.sites.find((s) => !s.hub)!;
  const t = touching(spoke.name)[0]!;
  const f = await sim.faults.fail({ kind: "site", site: spoke.name });
  const res = await call(sim.url, sim.token, "PUT", `${API}/sites/${spoke.name}/routing`, {
    classes: [{ class: "bulk", activeTunnel: t.id, backups: [] }],
  });
  const id = (res.body as Operation).id;
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(
    ((await call(sim.url, sim.token, "GET", `${API}/operations/${id}`)).body as Operation).state,
    "Pending",
  );
  await sim.faults.clear(f.id);
  await sim.events.waitFor((e) => e.kind === "operation.converged" && e.detail.operationId === id, 1000);
});

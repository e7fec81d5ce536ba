/**
 * The telemetry stream: snapshot first without a cursor, then consecutive update ids; resume with
 * ?cursor= or Last-Event-ID delivers exactly the missed updates (no gap, no duplicate), and
 * snapshot + updates rebuild the server's own snapshot; a cursor outside the retained window gets a
 * snapshot again; keepalive comments flow.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type {
  TelemetrySnapshot,
  TelemetryUpdate,
  TunnelTelemetry,
} from "../../../contract/patronus-api/v1.ts";
import { type MeshSimulator, startMeshSimulator } from "../../../harness/mesh/index.ts";
import { call, OpenApiChecker, openStream } from "./helpers.ts";

const checker = new OpenApiChecker();
const snapshotRef = checker.schemaRef("TelemetrySnapshot");
const updateRef = checker.schemaRef("TelemetryUpdate");

type State = Map<string, Omit<TunnelTelemetry, "at">>;
function applyTo(state: State, tunnels: readonly TunnelTelemetry[], removed: readonly string[] = []): void {
  for (const id of removed) state.delete(id);
  for (const { at: _, ...t } of tunnels) state.set(t.id, t);
}

describeQuietWorld();
describeTickingWorld();

function describeQuietWorld(): void {
  let sim: MeshSimulator;
  // A tick far in the future: only faults change telemetry, so every cursor is reproducible.
  before(async () => {
    sim = await startMeshSimulator({
      sites: 10,
      regions: 2,
      hubsPerRegion: 1,
      preload: true,
      tickMs: 60_000,
      keepaliveMs: 50,
      telemetryRetain: { frames: 4, bytes: 1024 * 1024 },
    });
  });
  after(() => sim.stop());

  const links = () =>
    sim.world.sites
      .filter((s) => !s.hub)
      .map((s) => ({ kind: "link" as const, site: s.name, link: s.links[0]!.name }));
  const change = async (i: number) => {
    const target = links()[Math.floor(i / 2) % links().length]!;
    if (i % 2 === 0) await sim.faults.fail(target);
    else await sim.faults.restore(target);
  };

  test("snapshot, then consecutive updates; resume by cursor and by Last-Event-ID without gaps or duplicates", async () => {
    const url = `${sim.apiUrl}/telemetry/stream`;
    const a = await openStream(url, sim.token);
    assert.equal(a.status, 200);
    const first = await a.stream.next();
    assert.equal(first.event, "snapshot");
    const snap = JSON.parse(first.data) as TelemetrySnapshot;
    checker.validate(snapshotRef, snap, "snapshot event");
    assert.equal(first.id, String(snap.cursor));
    const state: State = new Map();
    applyTo(state, snap.tunnels);
    let cursor = snap.cursor;

    const readUpdate = async (stream: typeof a.stream) => {
      const e = await stream.next();
      assert.equal(e.event, "update");
      const u = JSON.parse(e.data) as TelemetryUpdate;
      checker.validate(updateRef, u, "update event");
      assert.equal(e.id, String(u.cursor));
      assert.equal(u.cursor, cursor + 1, "no gap, no duplicate");
      cursor = u.cursor;
      applyTo(state, u.tunnels, u.removed);
      return u;
    };
    for (let i = 0; i < 2; i++) {
      await change(i);
      await readUpdate(a.stream);
    }
    a.stream.close();

    for (let i = 2; i < 5; i++) await change(i); // missed while disconnected
    const b = await openStream(`${url}?cursor=${cursor}`, sim.token);
    for (let i = 0; i < 3; i++) await readUpdate(b.stream);
    await assert.rejects(b.stream.next(150), /no SSE event/, "nothing more than the missed updates");
    b.stream.close();

    await change(5);
    const c = await openStream(url, sim.token, { lastEventId: String(cursor) });
    const resumed = await readUpdate(c.stream);
    assert.ok(resumed.tunnels.length > 0);
    c.stream.close();

    const server = (await call(sim.url, sim.token, "GET", "/api/v1/telemetry/snapshot"))
      .body as TelemetrySnapshot;
    assert.equal(server.cursor, cursor);
    const rebuilt: State = new Map();
    applyTo(rebuilt, server.tunnels);
    assert.deepEqual(state, rebuilt, "snapshot + updates = the server's snapshot");
  });

  test("a cursor outside the retained window, from the future, or garbage gets a snapshot", async () => {
    const url = `${sim.apiUrl}/telemetry/stream`;
    for (let i = 0; i < 6; i++) await change(i + 10);
    const now = (await call(sim.url, sim.token, "GET", "/api/v1/telemetry/snapshot"))
      .body as TelemetrySnapshot;
    for (const cursor of ["0", String(now.cursor - 5), String(now.cursor + 100), "abc"]) {
      const s = await openStream(`${url}?cursor=${cursor}`, sim.token);
      const e = await s.stream.next();
      assert.equal(e.event, "snapshot", `cursor ${cursor}`);
      assert.equal(JSON.parse(e.data).cursor, now.cursor);
      s.stream.close();
    }
    const fresh = await openStream(`${url}?cursor=${now.cursor - 3}`, sim.token);
    assert.equal((await fresh.stream.next()).id, String(now.cursor - 2), "inside the window: replay");
    fresh.stream.close();
    await sim.faults.clearAll();
  });

  test("deregistering a site removes its tunnels from the stream and the snapshot; re-registering restores them", async () => {
    const site = sim.world.sites.find((x) => !x.hub)!;
    const own = sim.world.tunnels
      .filter((t) => t.siteA === site.name || t.siteB === site.name)
      .map((t) => t.id);
    const s = await openStream(`${sim.apiUrl}/telemetry/stream`, sim.token);
    assert.equal((await s.stream.next()).event, "snapshot");
    assert.equal((await call(sim.url, sim.token, "DELETE", `/api/v1/sites/${site.name}`)).status, 204);
    const removal = JSON.parse((await s.stream.next()).data) as TelemetryUpdate;
    checker.validate(updateRef, removal, "update event");
    assert.deepEqual([...(removal.removed ?? [])].sort(), [...own].sort());
    const snap = (await call(sim.url, sim.token, "GET", "/api/v1/telemetry/snapshot"))
      .body as TelemetrySnapshot;
    assert.ok(!snap.tunnels.some((t) => own.includes(t.id)));
    assert.equal((await call(sim.url, sim.token, "POST", "/api/v1/sites", site)).status, 201);
    const back = JSON.parse((await s.stream.next()).data) as TelemetryUpdate;
    assert.deepEqual(back.tunnels.map((t) => t.id).sort(), [...own].sort());
    s.stream.close();
  });

  test("keepalive comments are sent on an idle stream", async () => {
    const s = await openStream(`${sim.apiUrl}/telemetry/stream`, sim.token);
    await s.stream.next();
    await new Promise((r) => setTimeout(r, 180));
    assert.ok(s.stream.comments.filter((c) => c.trim() === "keepalive").length >= 2);
    s.stream.close();
  });
}

function describeTickingWorld(): void {
  test("with a live 20 ms tick, a client that drops and resumes sees every cursor exactly once", async () => {
    const sim = await startMeshSimulator({
      sites: 200,
      preload: true,
      tickMs: 20,
      linkEventProbability: 0.05,
    });
    try {
      const url = `${sim.apiUrl}/telemetry/stream`;
      const seen: number[] = [];
      let last: string | undefined;
      for (let round = 0; round < 3; round++) {
        const s = await openStream(last === undefined ? url : `${url}?cursor=${last}`, sim.token);
        const until = Date.now() + 150;
        while (Date.now() < until) {
          const e = await s.stream.next(2000);
          if (e.event === "snapshot") {
            assert.equal(round, 0, "only the first connection gets a snapshot");
          } else seen.push(Number(e.id));
          last = e.id;
        }
        s.stream.close();
        await new Promise((r) => setTimeout(r, 60)); // updates keep coming while away
      }
      assert.ok(seen.length >= 10, `saw ${seen.length} updates`);
      for (let i = 1; i < seen.length; i++)
        assert.equal(seen[i], seen[i - 1]! + 1, `gap or duplicate at ${seen[i]}`);
    } finally {
      await sim.stop();
    }
  });
}

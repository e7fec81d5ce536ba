import assert from "node:assert/strict";
import { test } from "node:test";
import type { TelemetryUpdate, TunnelTelemetry } from "../../../contract/patronus-api/v1.ts";
import { TelemetryMerge } from "./telemetry-merge.ts";

const at = "2026-01-01T00:00:00.000Z";
const t = (id: string, latencyMs: number, state: TunnelTelemetry["state"] = "Up"): TunnelTelemetry => ({
  id,
  latencyMs,
  jitterMs: 1,
  lossPercent: 0,
  state,
  at,
});
const frames = (m: TelemetryMerge, after: number) =>
  (m.publisher.framesAfter(after) ?? []).map((f) => {
    const data = /^data: (.*)$/m.exec(f)![1]!;
    return { id: Number(/^id: (\d+)$/m.exec(f)![1]), data: JSON.parse(data) as TelemetryUpdate };
  });

test("the merged snapshot is the union of the shards' snapshots, ready once every shard has sent one", () => {
  const m = new TelemetryMerge(2, { frames: 100, bytes: 1 << 20 });
  m.applySnapshot(0, { cursor: 7, tunnels: [t("a.b.x.y", 10)] });
  assert.equal(m.ready, false);
  m.applySnapshot(1, { cursor: 3, tunnels: [t("c.d.x.y", 20), t("c.e.x.y", 30)] });
  assert.equal(m.ready, true);
  const snap = m.snapshot();
  assert.deepEqual(snap.tunnels.map((x) => x.id).sort(), ["a.b.x.y", "c.d.x.y", "c.e.x.y"]);
  assert.equal(snap.cursor, m.publisher.cursor);
});

test("shard updates leave with consecutive router cursors, mapped back from shard cursors", () => {
  const m = new TelemetryMerge(2, { frames: 100, bytes: 1 << 20 });
  m.applySnapshot(0, { cursor: 7, tunnels: [t("a.b.x.y", 10)] });
  m.applySnapshot(1, { cursor: 3, tunnels: [t("c.d.x.y", 20)] });
  const base = m.publisher.cursor;
  m.applyUpdate(1, { cursor: 4, tunnels: [t("c.d.x.y", 25, "Degraded")] });
  m.applyUpdate(0, { cursor: 8, tunnels: [], removed: ["a.b.x.y"] });
  m.applyUpdate(0, { cursor: 9, tunnels: [t("a.b.x.y", 11)] });
  const out = frames(m, base);
  assert.deepEqual(
    out.map((f) => f.id),
    [base + 1, base + 2, base + 3],
  );
  assert.deepEqual(
    out.map((f) => f.data.cursor),
    [base + 1, base + 2, base + 3],
  );
  assert.deepEqual(out[1]!.data.removed, ["a.b.x.y"]);
  assert.equal(m.routerCursorOf(1, 4), base + 1);
  assert.equal(m.routerCursorOf(0, 9), base + 3);
  assert.deepEqual(m.shardCursors, [9, 4]);
  // Resuming in the middle replays exactly what follows.
  assert.deepEqual(
    frames(m, base + 1).map((f) => f.id),
    [base + 2, base + 3],
  );
});

test("a shard's snapshot after an unresumable reconnect becomes one update with only the difference", () => {
  const m = new TelemetryMerge(2, { frames: 100, bytes: 1 << 20 });
  m.applySnapshot(0, { cursor: 1, tunnels: [t("a.b.x.y", 10), t("a.c.x.y", 12)] });
  m.applySnapshot(1, { cursor: 1, tunnels: [t("c.d.x.y", 20)] });
  const base = m.publisher.cursor;
  // Same values again: nothing to tell clients.
  assert.equal(m.applySnapshot(0, { cursor: 50, tunnels: [t("a.b.x.y", 10), t("a.c.x.y", 12)] }), undefined);
  assert.equal(m.publisher.cursor, base);
  m.applySnapshot(0, { cursor: 60, tunnels: [t("a.b.x.y", 14), t("a.z.x.y", 1)] });
  const [f] = frames(m, base);
  assert.deepEqual(
    f!.data.tunnels.map((x) => x.id),
    ["a.b.x.y", "a.z.x.y"],
  );
  assert.deepEqual(f!.data.removed, ["a.c.x.y"]);
  assert.deepEqual(
    m
      .snapshot()
      .tunnels.map((x) => x.id)
      .sort(),
    ["a.b.x.y", "a.z.x.y", "c.d.x.y"],
  );
});

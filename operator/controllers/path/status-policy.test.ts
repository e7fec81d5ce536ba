import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TunnelTelemetry } from "../../../contract/patronus-api/v1.ts";
import { statusWriteDecision } from "./status-policy.ts";
import { TelemetryCache } from "./telemetry-cache.ts";

const sample = (over: Partial<TunnelTelemetry> = {}): TunnelTelemetry => ({
  id: "a.b.l1.l1",
  latencyMs: 40,
  jitterMs: 2,
  lossPercent: 0,
  state: "Up",
  at: "2026-01-01T00:00:00Z",
  ...over,
});

describe("Path status write decision", () => {
  const current = { state: "Up", latencyMs: 40, jitterMs: 2, lossPercent: 0 };

  it("writes the first sample and every state change", () => {
    assert.deepEqual(statusWriteDecision(undefined, sample()), { write: true, reason: "first" });
    assert.deepEqual(statusWriteDecision({ state: "Unknown" }, sample()), { write: true, reason: "first" });
    assert.deepEqual(statusWriteDecision(current, sample({ state: "Degraded" })), {
      write: true,
      reason: "state",
    });
  });

  it("skips noise within tolerance", () => {
    assert.deepEqual(statusWriteDecision(current, sample({ latencyMs: 47, jitterMs: 6, lossPercent: 0.9 })), {
      write: false,
    });
  });

  it("writes a move beyond tolerance", () => {
    assert.equal(statusWriteDecision(current, sample({ latencyMs: 49 })).write, true);
    assert.equal(statusWriteDecision(current, sample({ jitterMs: 8 })).write, true);
    assert.equal(statusWriteDecision(current, sample({ lossPercent: 1.5 })).write, true);
  });
});

describe("TelemetryCache coalescing", () => {
  it("keeps only the newest sample per tunnel and notifies with the previous one", () => {
    const cache = new TelemetryCache();
    const seen: [number, number | undefined][] = [];
    cache.onSample((s, prev) => seen.push([s.latencyMs, prev?.latencyMs]));
    cache.update([sample({ latencyMs: 10 }), sample({ latencyMs: 20 }), sample({ latencyMs: 30 })]);
    assert.equal(cache.size, 1);
    assert.equal(cache.get("a.b.l1.l1")?.latencyMs, 30);
    assert.deepEqual(seen, [
      [10, undefined],
      [20, 10],
      [30, 20],
    ]);
  });

  it("a snapshot drops tunnels no longer reported", () => {
    const cache = new TelemetryCache();
    cache.update([sample({ id: "x" }), sample({ id: "y" })]);
    cache.snapshot([sample({ id: "y" })]);
    assert.equal(cache.get("x"), undefined);
    assert.ok(cache.get("y"));
  });

  it("drops the tunnels an update says were removed, before adding the ones it carries", () => {
    const cache = new TelemetryCache();
    cache.update([sample({ id: "x" }), sample({ id: "y" }), sample({ id: "z" })]);
    // z removed and re-added in the same tick (a Site deleted and re-created): its new sample stays.
    cache.update([sample({ id: "z", latencyMs: 77 })], ["x", "z"]);
    assert.equal(cache.get("x"), undefined);
    assert.ok(cache.get("y"), "a tunnel not removed keeps its sample");
    assert.equal(cache.get("z")?.latencyMs, 77);
    assert.equal(cache.size, 2);
  });

  it("is bounded: new tunnels beyond the cap are dropped, known ones still update", () => {
    const cache = new TelemetryCache(2);
    cache.update([sample({ id: "a" }), sample({ id: "b" }), sample({ id: "c" })]);
    assert.equal(cache.size, 2);
    assert.equal(cache.dropped, 1);
    cache.update([sample({ id: "a", latencyMs: 99 })]);
    assert.equal(cache.get("a")?.latencyMs, 99);
  });
});

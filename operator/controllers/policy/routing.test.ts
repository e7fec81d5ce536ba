import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TunnelTelemetry } from "../../../contract/patronus-api/v1.ts";
import { chooseRoute, RouteBook, violates } from "./routing.ts";

const sla = { maxLatencyMs: 100, maxJitterMs: 20, maxLossPercent: 1 };
const sample = (id: string, over: Partial<TunnelTelemetry> = {}): TunnelTelemetry => ({
  id,
  latencyMs: 30,
  jitterMs: 2,
  lossPercent: 0,
  state: "Up",
  at: "2026-01-01T00:00:00Z",
  ...over,
});
const candidates = [
  { tunnelId: "a.h.inet.inet", linkType: "internet" },
  { tunnelId: "a.h.mpls.mpls", linkType: "mpls" },
  { tunnelId: "a.h.lte.lte", linkType: "lte" },
];

describe("SLA violation", () => {
  it("is a non-Up state or any bound exceeded; no telemetry is not a violation", () => {
    assert.equal(violates(undefined, sla), false);
    assert.equal(violates(sample("x"), sla), false);
    assert.equal(violates(sample("x", { state: "Degraded" }), sla), true);
    assert.equal(violates(sample("x", { latencyMs: 101 }), sla), true);
    assert.equal(violates(sample("x", { jitterMs: 21 }), sla), true);
    assert.equal(violates(sample("x", { lossPercent: 1.5 }), sla), true);
  });
});

describe("route choice", () => {
  const prefs = ["mpls", "internet", "lte"];

  it("takes the most preferred link type first", () => {
    const r = chooseRoute("voice", candidates, prefs, sla, () => undefined, undefined);
    assert.deepEqual(r, {
      class: "voice",
      activeTunnel: "a.h.mpls.mpls",
      backups: ["a.h.inet.inet", "a.h.lte.lte"],
    });
  });

  it("moves to the next preferred link when the active one violates the SLA", () => {
    const tel = new Map([["a.h.mpls.mpls", sample("a.h.mpls.mpls", { state: "Down" })]]);
    const r = chooseRoute("voice", candidates, prefs, sla, (id) => tel.get(id), "a.h.mpls.mpls");
    assert.equal(r?.activeTunnel, "a.h.inet.inet");
  });

  it("stays on a healthy current tunnel after the preferred one recovers (no flapping)", () => {
    const r = chooseRoute("voice", candidates, prefs, sla, () => sample("any"), "a.h.inet.inet");
    assert.equal(r?.activeTunnel, "a.h.inet.inet");
  });

  it("keeps the current tunnel when every candidate violates", () => {
    const r = chooseRoute(
      "voice",
      candidates,
      prefs,
      sla,
      (id) => sample(id, { lossPercent: 50 }),
      "a.h.lte.lte",
    );
    assert.equal(r?.activeTunnel, "a.h.lte.lte");
  });

  it("has no route without candidates", () => {
    assert.equal(
      chooseRoute("voice", [], prefs, sla, () => undefined, undefined),
      undefined,
    );
  });
});

describe("RouteBook", () => {
  it("indexes sites by the tunnel carrying their class and re-indexes on change", () => {
    const book = new RouteBook();
    book.set("a", { policyKey: "ns/voice", route: { class: "voice", activeTunnel: "t1", backups: [] } });
    book.set("a", { policyKey: "ns/video", route: { class: "video", activeTunnel: "t1", backups: [] } });
    assert.equal(book.carriedBy("t1").length, 2);
    book.set("a", { policyKey: "ns/voice", route: { class: "voice", activeTunnel: "t2", backups: ["t1"] } });
    assert.deepEqual(book.carriedBy("t1"), [{ policyKey: "ns/video", site: "a" }]);
    assert.deepEqual(book.carriedBy("t2"), [{ policyKey: "ns/voice", site: "a" }]);
    assert.deepEqual(
      book.routesFor("a").map((r) => r.class),
      ["video", "voice"],
    );
    book.delete("a", "video", "ns/other");
    assert.equal(book.routesFor("a").length, 2, "a policy that no longer owns the route cannot remove it");
    book.delete("a", "video");
    book.delete("a", "voice");
    assert.deepEqual(book.carriedBy("t2"), []);
    assert.deepEqual(book.routesFor("a"), []);
  });
});

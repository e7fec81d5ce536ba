import assert from "node:assert/strict";
import { test } from "node:test";
import { generateWorld } from "../model/world.ts";
import { computeTunnels, TopologyError } from "./tunnels.ts";

const world = generateWorld({ sites: 60, regions: 3, hubsPerRegion: 2, seed: 2 });

test("order of the sites does not change the tunnels", () => {
  const reversed = [...world.sites].reverse();
  for (const topology of [
    { kind: "hub-spoke" },
    { kind: "regional" },
    { kind: "partial", k: 3 },
    { kind: "full" },
  ] as const) {
    assert.deepEqual(
      computeTunnels(reversed, topology),
      computeTunnels(world.sites, topology),
      topology.kind,
    );
  }
});

test("full: exactly one tunnel per site pair, ids unique", () => {
  const t = computeTunnels(world.sites, { kind: "full" });
  assert.equal(t.length, (60 * 59) / 2);
  assert.equal(new Set(t.map((x) => x.id)).size, t.length);
  const pairs = new Set(t.map((x) => `${x.siteA}|${x.siteB}`));
  assert.equal(pairs.size, t.length);
});

test("partial-k: each site reaches its next k neighbours; hub-spoke: each spoke reaches two hubs", () => {
  assert.equal(computeTunnels(world.sites, { kind: "partial", k: 2 }).length, 120);
  const hs = computeTunnels(world.sites, { kind: "hub-spoke" });
  for (const s of world.sites.filter((x) => !x.hub)) {
    const hubs = new Set(
      hs
        .filter((t) => t.siteA === s.name || t.siteB === s.name)
        .map((t) => (t.siteA === s.name ? t.siteB : t.siteA)),
    );
    assert.equal(hubs.size, 2, s.name);
  }
  assert.throws(() => computeTunnels(world.sites, { kind: "partial", k: 0 }), TopologyError);
  assert.throws(
    () =>
      computeTunnels(
        world.sites.filter((s) => !s.hub),
        { kind: "hub-spoke" },
      ),
    /at least one site with hub/,
  );
});

test("full: a single site (or none) has no tunnels", () => {
  assert.deepEqual(computeTunnels(world.sites.slice(0, 1), { kind: "full" }), []);
  assert.deepEqual(computeTunnels([], { kind: "full" }), []);
});

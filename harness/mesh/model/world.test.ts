import assert from "node:assert/strict";
import { test } from "node:test";
import { TopologyError } from "../topology/tunnels.ts";
import { generateWorld, shardOfIndex } from "./world.ts";

test("1000 sites: ~4000 hub-spoke tunnels, 2 hubs per region, 1–3 typed links per site", () => {
  const w = generateWorld({});
  assert.equal(w.sites.length, 1000);
  assert.equal(w.regions.length, 10);
  assert.equal(w.sites.filter((s) => s.hub).length, 20);
  assert.ok(w.tunnels.length > 3500 && w.tunnels.length < 4500, `${w.tunnels.length} tunnels`);
  for (const s of w.sites) {
    assert.ok(s.links.length >= 1 && s.links.length <= 3);
    assert.equal(new Set(s.links.map((l) => l.name)).size, s.links.length);
  }
  const types = new Set(w.sites.flatMap((s) => s.links.map((l) => l.type)));
  assert.deepEqual([...types].sort(), ["internet", "lte", "mpls"]);
});

test("generation is deterministic in the seed", () => {
  assert.deepEqual(generateWorld({ sites: 200, seed: 9 }), generateWorld({ sites: 200, seed: 9 }));
  assert.notDeepEqual(
    generateWorld({ sites: 200, seed: 9 }).sites,
    generateWorld({ sites: 200, seed: 10 }).sites,
  );
});

test("a full mesh above the object budget is refused with the count and the budget", () => {
  assert.throws(
    () => generateWorld({ sites: 400, topology: { kind: "full" } }),
    (e: unknown) => e instanceof TopologyError && /79800 tunnels/.test(e.message) && /50000/.test(e.message),
  );
  assert.equal(generateWorld({ sites: 50, regions: 2, topology: { kind: "full" } }).tunnels.length, 1225);
});

test("bad parameters name the parameter", () => {
  assert.throws(() => generateWorld({ sites: 4, regions: 2, hubsPerRegion: 3 }), /hubsPerRegion/);
  assert.throws(() => generateWorld({ sites: 0 }), /sites/);
});

test("shards own contiguous, disjoint site ranges covering the world", () => {
  const counts = [0, 0, 0];
  let prev = 0;
  for (let i = 0; i < 1000; i++) {
    const s = shardOfIndex(i, 1000, 3);
    assert.ok(s >= prev);
    prev = s;
    counts[s]!++;
  }
  assert.deepEqual(counts, [334, 333, 333]);
});

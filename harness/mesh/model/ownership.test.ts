import assert from "node:assert/strict";
import { test } from "node:test";
import { MeshSimulatorOptions } from "../options.ts";
import { Simulation } from "../simulation.ts";
import { ShardMap } from "./ownership.ts";
import { generateWorld } from "./world.ts";

test("the router's ShardMap and every replica agree on each site's owner", () => {
  const world = generateWorld({ sites: 90, regions: 3, seed: 2 });
  const map = new ShardMap(
    world.sites.map((s) => s.name),
    4,
  );
  const replicas = Array.from(
    { length: 4 },
    (_, index) => new Simulation(world, MeshSimulatorOptions.parse({ shard: { index, count: 4 } })),
  );
  const names = [...world.sites.map((s) => s.name), "branch-a", "branch-b", "x", "edge-17"];
  for (const name of names) {
    const owners = replicas.flatMap((r, i) => (r.owns(name) ? [i] : []));
    assert.deepEqual(owners, [map.ownerOf(name)], name);
  }
  // World sites: contiguous ranges in name order.
  const worldOwners = world.sites.map((s) => map.ownerOf(s.name));
  assert.deepEqual(worldOwners, [...worldOwners].sort());
  assert.deepEqual([...new Set(worldOwners)], [0, 1, 2, 3]);
});

test("one shard owns everything", () => {
  const map = new ShardMap(["a", "b"], 1);
  assert.equal(map.ownerOf("a"), 0);
  assert.equal(map.ownerOf("zzz"), 0);
});

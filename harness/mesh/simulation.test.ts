import assert from "node:assert/strict";
import { test } from "node:test";
import { generateWorld } from "./model/world.ts";
import { MeshSimulatorOptions } from "./options.ts";
import { Simulation } from "./simulation.ts";

test("shards of one world partition its tunnels exactly and agree on their telemetry", () => {
  const world = generateWorld({ sites: 300, regions: 3, seed: 4 });
  const count = 3;
  const snapshots = Array.from({ length: count }, (_, index) => {
    const sim = new Simulation(
      world,
      MeshSimulatorOptions.parse({ preload: true, shard: { index, count }, linkEventProbability: 0 }),
    );
    sim.preload();
    sim.engine.evaluate(sim.engine.epochMs + 5500); // tick 5 in every replica
    const snap = sim.engine.snapshot();
    sim.stop();
    return snap.tunnels;
  });
  const full = new Simulation(world, MeshSimulatorOptions.parse({ preload: true, linkEventProbability: 0 }));
  full.preload();
  full.engine.evaluate(full.engine.epochMs + 5500);
  const whole = full.engine.snapshot().tunnels;
  full.stop();
  const merged = snapshots.flat().sort((a, b) => (a.id < b.id ? -1 : 1));
  assert.equal(merged.length, world.tunnels.length);
  assert.deepEqual(
    merged.map(({ at: _, ...t }) => t),
    [...whole].sort((a, b) => (a.id < b.id ? -1 : 1)).map(({ at: _, ...t }) => t),
  );
  for (const s of snapshots) assert.ok(s.length > 0 && s.length < world.tunnels.length);
});

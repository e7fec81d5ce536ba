import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { HarnessError } from "../errors.ts";
import { startMeshSimulator } from "./index.ts";

const SMALL = fileURLToPath(new URL("../../fixtures/topologies/small-regional.yaml", import.meta.url));

test("starts on 127.0.0.1 with a random port and token, from a topology file", async () => {
  const sim = await startMeshSimulator({ topologyFile: SMALL, preload: true });
  try {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(sim.token.length >= 16);
    assert.equal(sim.world.sites.length, 6);
    assert.equal(sim.simulation.sites.size, 6);
    assert.equal(sim.simulation.tunnels.modeledSize, sim.world.tunnels.length);
    const res = await fetch(`${sim.url}/healthz`);
    assert.equal(((await res.json()) as { sites: number }).sites, 6);
  } finally {
    await sim.stop();
  }
});

test("invalid options fail with the option named", async () => {
  await assert.rejects(
    startMeshSimulator({ tickMs: 1 }),
    (e: unknown) => e instanceof HarnessError && /tickMs/.test(e.message),
  );
  await assert.rejects(
    startMeshSimulator({ shard: { index: 2, count: 2 } }),
    (e: unknown) => e instanceof HarnessError && /shard\.index/.test(e.message),
  );
  await assert.rejects(startMeshSimulator({ token: "short" }), /token/);
});

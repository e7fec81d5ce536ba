import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type MeshSimulator, startMeshSimulator } from "../../mesh/index.ts";
import type { MeasurementContext } from "../measurement.ts";
import type { MeshView } from "../targets.ts";
import { MeshMetricsMeasurement } from "./mesh-metrics.ts";

/**
 * Runs the measurement against a view of the simulator for ~0.5 s, or until `enough` says the
 * points are there (a starved machine scrapes late: up to 20 s); the points and events it left.
 */
async function observe(
  mesh: Partial<MeshView>,
  shards = 1,
  enough?: (points: ReadonlyMap<string, number[]>) => boolean,
) {
  const points = new Map<string, number[]>();
  const events: string[] = [];
  const ctx = {
    definition: { sampleInterval: 100, mesh: { shards } },
    mesh: { pid: () => undefined, ...mesh },
    store: {
      point: (name: string, value: number) => points.set(name, [...(points.get(name) ?? []), value]),
    },
    events: { record: (kind: string) => events.push(kind) },
  } as unknown as MeasurementContext;
  const m = new MeshMetricsMeasurement();
  await m.start(ctx);
  // Busy CPU between scrapes, so the simulator's process (this one) shows some.
  const start = performance.now();
  const done = () =>
    enough ? enough(points) || performance.now() - start > 20_000 : performance.now() - start > 500;
  while (!done()) await new Promise((r) => setImmediate(r));
  await m.stop(ctx);
  return { points, events };
}

describe("mesh-metrics: CPU and RSS of a simulator that is no process of this host", () => {
  let sim: MeshSimulator;
  before(async () => {
    sim = await startMeshSimulator({ sites: 20, seed: 1 });
  });
  after(() => sim.stop());

  it("reads them from the simulator's own /metrics", async () => {
    const { points } = await observe(
      { metricsUrl: `${sim.url}/metrics` },
      1,
      (p) =>
        (p.get("mesh_rss_bytes")?.length ?? 0) >= 2 && (p.get("mesh_cpu_cores") ?? []).some((v) => v > 0),
    );
    const rss = points.get("mesh_rss_bytes") ?? [];
    assert.ok(rss.length >= 2, `an RSS point per scrape: ${rss}`);
    // In-process here, so the simulator's process is this one.
    const mine = process.memoryUsage().rss;
    assert.ok(
      rss.every((v) => v > mine / 2 && v < mine * 2),
      `${rss} against ${mine}`,
    );
    const cpu = points.get("mesh_cpu_cores") ?? [];
    assert.ok(cpu.length >= 1 && cpu.some((v) => v > 0), `CPU from process_cpu_seconds_total: ${cpu}`);
  });

  it("leaves them to /proc when the simulator is a process here, and records nothing without a URL", async () => {
    assert.equal(
      (await observe({ metricsUrl: `${sim.url}/metrics`, pid: () => process.pid })).points.size,
      0,
    );
    assert.equal(
      (await observe({ metricsUrl: `${sim.url}/metrics`, pids: () => [process.pid] })).points.size,
      0,
    );
    assert.equal((await observe({})).points.size, 0);
  });

  it("records nothing for a sharded simulator (its router alone would pass for the mesh), and says so", async () => {
    const { points, events } = await observe({ metricsUrl: `${sim.url}/metrics` }, 3);
    assert.equal(points.size, 0);
    assert.deepEqual(events, ["mesh.usage-unmeasured"]);
  });
});

import assert from "node:assert/strict";
import { it } from "node:test";
import type { MeasurementContext } from "../measurement.ts";
import { ProcessUsageMeasurement } from "./process-usage.ts";

it("has the operator's RSS for a checkpoint from the first sample, CPU only from the second", async () => {
  const points: string[] = [];
  // The "operator" here is the test runner (this process is already the harness): /proc is read for real.
  const ctx = {
    definition: { sampleInterval: 600_000 },
    operator: { replicas: () => [{ running: true, pid: process.ppid }] },
    mesh: { pid: () => undefined },
    controlPlane: { pids: () => ({}) },
    store: { point: (name: string) => points.push(name) },
  } as unknown as MeasurementContext;
  const m = new ProcessUsageMeasurement();
  await m.start(ctx);
  try {
    const first = m.checkpoint();
    assert.ok((first.operator_rss_bytes ?? 0) > 0, "RSS known after one sample");
    assert.equal(first.operator_cpu_cores, undefined, "no CPU figure from a single sample");
    assert.deepEqual(points, [], "no series point before a CPU figure exists");
  } finally {
    await m.stop({ ...ctx, store: { ...ctx.store, seriesPoints: () => [], gauge: () => {} } } as never);
  }
});

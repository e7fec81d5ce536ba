import assert from "node:assert/strict";
import { cpus } from "node:os";
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

it("shows, once CPU is known, how many of the machine's cores all measured processes used", async () => {
  const ctx = {
    definition: { sampleInterval: 600 },
    operator: { replicas: () => [{ running: true, pid: process.ppid }] },
    mesh: { pid: () => undefined },
    controlPlane: { pids: () => ({}) },
    store: { point: () => {} },
  } as unknown as MeasurementContext;
  const m = new ProcessUsageMeasurement();
  await m.start(ctx);
  try {
    assert.doesNotMatch(m.progress() ?? "", /all measured/, "no CPU figure from a single sample");
    // Keep this process busy so the harness's own share is not zero, then wait for a second sample.
    const until = performance.now() + 1500;
    while (performance.now() < until) for (let i = 0; i < 1e5; i++) Math.sqrt(i);
    let line = "";
    for (const deadline = performance.now() + 5000; performance.now() < deadline; ) {
      line = m.progress() ?? "";
      if (line.includes("all measured")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const match = /all measured (\d+\.\d\d)\/(\d+) cores/.exec(line);
    assert.ok(match, line);
    assert.equal(Number(match[2]), cpus().length, "the machine's cores, as run.machine.cores counts them");
    assert.ok(Number(match[1]) > 0, line);
  } finally {
    await m.stop({ ...ctx, store: { ...ctx.store, seriesPoints: () => [], gauge: () => {} } } as never);
  }
});

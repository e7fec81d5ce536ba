import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clinicDoctorStatus } from "../doctor/clinic.ts";
import { fitGrowth } from "./growth.ts";
import { pointFromMetrics, toSeries } from "./process-sampler.ts";

const MiB = 1024 * 1024;

describe("process series and growth", () => {
  it("reads prom-client's default Node metrics", () => {
    const text = [
      "process_cpu_seconds_total 12.5",
      "process_resident_memory_bytes 104857600",
      "nodejs_heap_size_used_bytes 52428800",
      "nodejs_eventloop_lag_p99_seconds 0.025",
      "nodejs_eventloop_lag_max_seconds 0.1",
      'nodejs_gc_duration_seconds_sum{kind="minor"} 0.5',
      'nodejs_gc_duration_seconds_sum{kind="major"} 0.25',
    ].join("\n");
    assert.deepEqual(pointFromMetrics(text, 3), {
      t: 3,
      cpuSeconds: 12.5,
      rssBytes: 104857600,
      heapUsedBytes: 52428800,
      eventLoopP99Ms: 25,
      eventLoopMaxMs: 100,
      gcSeconds: 0.75,
    });
  });

  it("turns CPU and GC counters into rates", () => {
    const s = toSeries([
      { t: 0, cpuSeconds: 1, gcSeconds: 0 },
      { t: 2, cpuSeconds: 2, gcSeconds: 0.2 },
    ]);
    assert.deepEqual(s.cpu_cores, [[2, 0.5]]);
    assert.deepEqual(s.gc_seconds_per_second, [[2, 0.1]]);
  });

  it("flags steady growth, not a sawtooth", () => {
    const growing = Array.from({ length: 30 }, (_, i) => [i, 50 * MiB + i * 0.5 * MiB] as [number, number]);
    assert.equal(fitGrowth(growing)?.growing, true);
    const sawtooth = Array.from(
      { length: 30 },
      (_, i) => [i, 50 * MiB + (i % 5) * 4 * MiB] as [number, number],
    );
    assert.equal(fitGrowth(sawtooth)?.growing, false);
    assert.equal(fitGrowth(growing.slice(0, 3)), undefined);
  });

  it("says plainly that clinic doctor does not run on recent Node", () => {
    const s = clinicDoctorStatus("24.1.0");
    assert.equal(s.usable, false);
    assert.match(s.reason, /Node 24\.1\.0/);
  });
});

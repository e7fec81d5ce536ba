import assert from "node:assert/strict";
import { test } from "node:test";
import { ResultsSchema } from "../../results/index.ts";
import type { Measurement } from "./measure.ts";
import { cpuSeconds, rssBytes } from "./proc-stat.ts";
import { benchResults } from "./results.ts";

const params = { sites: 1000, seconds: 3, tickMs: 1000, warmup: 1, nodeFlags: "", shards: 1 };
const measurement = (rss: number, cores: number): Measurement => ({
  startedAt: new Date("2026-01-01T00:00:00Z"),
  finishedAt: new Date("2026-01-01T00:00:06Z"),
  measureStart: 2,
  measuredSeconds: 3,
  world: { sites: 1000, tunnels: 3850 },
  cpuCores: cores,
  startupRss: rss,
  rssLargestProcess: rss,
  rss: [
    [3, rss],
    [4, rss],
    [5, rss],
  ],
  stream: { events: 4, snapshotTunnels: 3850, tunnelUpdates: 300, bytes: 1000, gaps: 0, lastCursor: 4 },
  updatesPerSecond: 100,
  loadAverage: { start: 1, end: 1 },
});

test("results are valid schemaVersion 1 with the goals as thresholds at 1000 sites", async () => {
  const ok = await benchResults(params, measurement(100 * 2 ** 20, 0.01));
  assert.doesNotThrow(() => ResultsSchema.parse(ok));
  assert.equal(ok.verdict, "pass");
  assert.deepEqual(ok.coverage, { expected: 3850, observed: 3850 });
  const fat = await benchResults(params, measurement(200 * 2 ** 20, 0.01));
  assert.equal(fat.verdict, "fail");
  assert.deepEqual(
    fat.thresholds.map((t) => [t.metric, t.passed]),
    [
      ["mesh_cpu_cores", true],
      ["mesh_rss_bytes", false],
    ],
  );
  const big = await benchResults({ ...params, sites: 10_000 }, measurement(200 * 2 ** 20, 0.01));
  assert.deepEqual(big.thresholds, []);
  assert.equal(big.verdict, "pass");
});

test("/proc readings of this process are plausible", async () => {
  assert.ok((await cpuSeconds(process.pid)) > 0);
  const rss = await rssBytes(process.pid);
  const ref = process.memoryUsage().rss;
  assert.ok(Math.abs(rss - ref) / ref < 0.2, `${rss} vs ${ref}`);
});

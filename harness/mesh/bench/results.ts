/**
 * The mesh benchmark's results.json (schemaVersion 1, harness/results): mesh_cpu_cores and
 * mesh_rss_bytes with the simulator's goals as thresholds for the 1000-site run (the goal is defined
 * for that size; other sizes are reported without a verdict on them).
 */

import type { Results } from "../../results/index.ts";
import { gitState, harnessVersion, machine } from "../../run/metadata.ts";
import type { BenchParams, Measurement } from "./measure.ts";

export const GOALS = { sites: 1000, cpuCores: 0.1, rssBytes: 150 * 1024 * 1024 };

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function benchResults(p: BenchParams, m: Measurement): Promise<Results> {
  const rssValues = m.rss.map(([, v]) => v);
  const rssMax = Math.max(...rssValues);
  const rssMean = rssValues.reduce((a, b) => a + b, 0) / rssValues.length;
  const cores = round(m.cpuCores, 4);
  const thresholds =
    p.sites === GOALS.sites && p.shards <= 1
      ? [
          {
            metric: "mesh_cpu_cores",
            expression: `value<=${GOALS.cpuCores}`,
            value: cores,
            passed: cores <= GOALS.cpuCores,
            status: cores <= GOALS.cpuCores ? ("pass" as const) : ("fail" as const),
            abortOnFail: false,
          },
          {
            metric: "mesh_rss_bytes",
            expression: `max<=${GOALS.rssBytes}`,
            value: rssMax,
            passed: rssMax <= GOALS.rssBytes,
            status: rssMax <= GOALS.rssBytes ? ("pass" as const) : ("fail" as const),
            abortOnFail: false,
          },
        ]
      : [];
  const end = round(m.measureStart + m.measuredSeconds, 3);
  return {
    schemaVersion: 2,
    run: {
      id: `bench-mesh-${p.sites}${p.shards > 1 ? `-shards${p.shards}` : ""}-${m.startedAt.toISOString().replace(/[:.]/g, "-")}`,
      scenario: "bench-mesh",
      startedAt: m.startedAt.toISOString(),
      finishedAt: m.finishedAt.toISOString(),
      durationSeconds: round((m.finishedAt.getTime() - m.startedAt.getTime()) / 1000, 3),
      git: await gitState(),
      operator: { name: "none", origin: "built-in", version: "none", source: null },
      versions: {
        node: process.version,
        kubernetes: "n/a",
        etcd: "n/a",
        operator: "n/a",
        harness: harnessVersion(),
      },
      machine: machine(),
      cluster: { provider: "none", knobs: { nodeFlags: p.nodeFlags, loadAverage1m: m.loadAverage } },
      seed: 1,
      definition: { ...p, subscribers: 1, topology: "hub-spoke", preload: true },
    },
    verdict: thresholds.every((t) => t.passed) ? "pass" : "fail",
    metrics: {
      mesh_cpu_cores: { type: "gauge", unit: "cores", value: cores },
      mesh_rss_bytes: { type: "gauge", unit: "bytes", value: rssMax },
      mesh_rss_mean_bytes: { type: "gauge", unit: "bytes", value: Math.round(rssMean) },
      mesh_startup_rss_bytes: { type: "gauge", unit: "bytes", value: m.startupRss },
      mesh_rss_largest_process_bytes: { type: "gauge", unit: "bytes", value: m.rssLargestProcess },
      mesh_rss_series: { type: "series", unit: "bytes", points: m.rss },
      mesh_sites: { type: "gauge", unit: "sites", value: m.world.sites },
      mesh_tunnels: { type: "gauge", unit: "tunnels", value: m.world.tunnels },
      telemetry_tunnel_updates_per_second: {
        type: "gauge",
        unit: "1/s",
        value: round(m.updatesPerSecond, 1),
      },
      telemetry_events: { type: "counter", unit: "events", value: m.stream.events },
      telemetry_bytes: { type: "counter", unit: "bytes", value: m.stream.bytes },
      telemetry_cursor_gaps: { type: "counter", unit: "gaps", value: m.stream.gaps },
    },
    thresholds,
    phases: [
      { name: "startup+warmup", kind: "warmup", startedAt: 0, finishedAt: round(m.measureStart, 3) },
      { name: "measure", kind: "measure", startedAt: round(m.measureStart, 3), finishedAt: end },
    ],
    events: [],
    checkpoints: [{ objects: m.world.tunnels, mesh_cpu_cores: cores, mesh_rss_bytes: rssMax }],
    // Every modelled tunnel must be in the subscriber's snapshot.
    coverage: { expected: m.world.tunnels, observed: m.stream.snapshotTunnels },
  };
}

/**
 * Synthetic results for the built-in scenarios' shapes (scale-1000 with checkpoints, churn,
 * failover-path with events), from seeded random data. Used as recorded fixtures for report,
 * compare and history tests — never as figures.
 */

import { SeededRandom } from "../../random/seeded.ts";
import type { Metric, Results, RunEvent, Threshold } from "../schema.ts";
import { distribution, latencySamples, quantileSeries, round, series, syntheticRun } from "./run.ts";

const MiB = 1024 * 1024;

export function syntheticScale1000(seed = 1000): Results {
  const r = new SeededRandom(seed);
  const phases = [
    { name: "cluster-up", kind: "sleep", startedAt: 0, finishedAt: 18 },
    { name: "create-sites", kind: "create", startedAt: 18, finishedAt: 38 },
    { name: "wait-ready", kind: "wait-for", startedAt: 38, finishedAt: 44.6 },
    { name: "teardown", kind: "delete", startedAt: 44.6, finishedAt: 70 },
  ];
  const objectsAt = (t: number): number =>
    t < 18 ? 0 : t < 38 ? Math.round((t - 18) * 50) : t < 48 ? 1000 : 1000;
  const ready = latencySamples(r, 1000, 900, 0.45, 19, 44);
  const paths = latencySamples(r, 3000, 420, 0.5, 20, 45);
  const checkpoints = [100, 250, 500, 1000].map((objects) => ({
    objects,
    operator_cpu_cores: round(0.12 + 0.00062 * objects + r.normal() * 0.02, 3),
    operator_rss_bytes: Math.round(58 * MiB + objects * 92 * 1024 + r.normal() * 2 * MiB),
    site_ready_latency_p99: round(600 + objects * 1.4 + r.normal() * 40, 1),
    workqueue_depth: Math.max(0, Math.round(objects * 0.08 + r.normal() * 5)),
  }));
  const metrics: Record<string, Metric> = {
    site_ready_latency: distribution(ready),
    ...quantileSeries("site_ready_latency", ready, 2),
    path_status_latency: distribution(paths),
    ...quantileSeries("path_status_latency", paths, 2),
    operator_cpu_cores: series("cores", 0, 70, 1, (t) =>
      t < 18 ? 0.02 : t < 48 ? 0.7 + 0.2 * r.normal() : 0.15,
    ),
    operator_rss_bytes: series(
      "bytes",
      0,
      70,
      1,
      (t) => 52 * MiB + objectsAt(t) * 94 * 1024 + r.normal() * MiB,
    ),
    operator_event_loop_delay: distribution(latencySamples(r, 700, 11, 0.6, 0, 70)),
    mesh_cpu_cores: series("cores", 0, 70, 1, (t) => (t < 18 ? 0.01 : 0.25 + 0.05 * r.normal())),
    mesh_rss_bytes: series("bytes", 0, 70, 1, (t) => 40 * MiB + objectsAt(t) * 20 * 1024),
    harness_cpu_cores: series("cores", 0, 70, 1, () => 0.18 + 0.03 * r.normal()),
    target_rate: series("ops/s", 18, 38, 1, () => 50),
    achieved_rate: series("ops/s", 18, 38, 1, () => 49.6 + 0.3 * r.normal()),
    dropped_iterations: { type: "counter", unit: "count", value: 0 },
    workqueue_depth: series("items", 0, 70, 1, (t) =>
      t < 18 || t > 46 ? 0 : 40 + 25 * Math.sin(t / 3) + 8 * r.normal(),
    ),
    reconcile_rate: series("1/s", 0, 70, 1, (t) => (t < 18 || t > 46 ? 0 : 180 + 30 * r.normal())),
    object_count: series("objects", 0, 70, 1, (t) => objectsAt(t) * 4),
    etcd_db_size_bytes: { type: "gauge", unit: "bytes", value: 38 * MiB },
    'apiserver_request_latency{resource="sites",verb="POST"}': distribution(
      latencySamples(r, 1000, 14, 0.5, 18, 38),
    ),
    'apiserver_request_latency{resource="paths",verb="PATCH"}': distribution(
      latencySamples(r, 3000, 9, 0.55, 20, 45),
    ),
    lost_updates: { type: "counter", unit: "count", value: 0 },
    // Objects Ready over time (no random draws, so the other figures keep their values).
    sites_ready_total: series("objects", 18, 70, 1, (t) =>
      Math.min(1000, Math.max(0, Math.round((t - 19.5) * 42))),
    ),
    paths_expected: series("objects", 18, 70, 1, (t) => Math.round(objectsAt(t) * 3.85)),
    paths_reporting: series("objects", 18, 70, 1, (t) =>
      Math.min(3850, Math.max(0, Math.round((t - 22) * 165))),
    ),
  };
  const rss = checkpoints.at(-1)?.operator_rss_bytes ?? 0;
  const thresholds: Threshold[] = [
    threshold(metrics, "site_ready_latency", "p(99)<30000"),
    {
      metric: "operator_rss_bytes",
      expression: "max<209715200",
      value: rss,
      passed: rss < 209715200,
      status: rss < 209715200 ? "pass" : "fail",
      abortOnFail: false,
    },
    {
      metric: "lost_updates",
      expression: "count==0",
      value: 0,
      passed: true,
      status: "pass",
      abortOnFail: false,
    },
  ];
  return {
    schemaVersion: 2,
    run: syntheticRun({
      scenario: "scale-1000",
      seed,
      startedAt: "2026-11-20T03:00:00Z",
      durationSeconds: 70,
      definition: {
        name: "scale-1000",
        mesh: { sites: 1000, topology: "hub-spoke" },
        phases,
        checkpoints: [100, 250, 500, 1000],
      },
    }),
    verdict: thresholds.every((t) => t.passed) ? "pass" : "fail",
    metrics,
    thresholds,
    phases,
    events: phaseEvents(phases),
    checkpoints,
    coverage: { expected: 1000, observed: 1000 },
    profile: {
      window: "create-sites",
      hotPaths: [
        { function: "reconcileSite", module: "controllers", selfPercent: 14.2, totalPercent: 41.0 },
        { function: "JSON.parse", module: "serialization", selfPercent: 11.8, totalPercent: 11.8 },
        { function: "computeTunnels", module: "controllers", selfPercent: 9.5, totalPercent: 12.1 },
        { function: "(garbage collector)", module: "GC/idle", selfPercent: 8.9, totalPercent: 8.9 },
        { function: "Informer.onEvent", module: "informers", selfPercent: 6.1, totalPercent: 18.4 },
        { function: "patchStatus", module: "API client", selfPercent: 5.2, totalPercent: 22.7 },
        { function: "WorkQueue.add", module: "workqueue", selfPercent: 3.4, totalPercent: 4.0 },
        { function: "deepEqual", module: "controllers", selfPercent: 2.9, totalPercent: 2.9 },
      ],
    },
  };
}

export interface ChurnOptions {
  seed: number;
  /** Multiplies every latency: 1 for a baseline, e.g. 1.3 for an injected slowdown. */
  latencyFactor?: number;
  repeat?: { index: number; of: number };
  startedAt?: string;
}

export function syntheticChurn(opts: ChurnOptions): Results {
  const r = new SeededRandom(opts.seed);
  // Run-to-run noise on a shared machine: every repeat is a little faster or slower overall.
  const runFactor = (opts.latencyFactor ?? 1) * Math.exp(0.04 * r.normal());
  const phases = [
    { name: "seed-sites", kind: "create", startedAt: 0, finishedAt: 25 },
    { name: "churn", kind: "churn", startedAt: 25, finishedAt: 145 },
  ];
  const ready = latencySamples(r, 2000, 240 * runFactor, 0.42, 25, 145);
  const updates = latencySamples(r, 3000, 190 * runFactor, 0.4, 25, 145);
  const deletes = latencySamples(r, 1000, 130 * runFactor, 0.38, 25, 145);
  const achieved = 50 * (1 - 0.004 * Math.abs(r.normal()));
  const metrics: Record<string, Metric> = {
    site_ready_latency: distribution(ready),
    ...quantileSeries("site_ready_latency", ready, 5),
    update_observed_latency: distribution(updates),
    ...quantileSeries("update_observed_latency", updates, 5),
    delete_latency: distribution(deletes),
    target_rate: series("ops/s", 25, 145, 1, () => 50),
    achieved_rate: series("ops/s", 25, 145, 1, () => achieved + 0.4 * r.normal()),
    dropped_iterations: { type: "counter", unit: "count", value: r.int(0, 3) },
    lost_updates: { type: "counter", unit: "count", value: 0 },
    operator_cpu_cores: series("cores", 0, 145, 1, () => 0.55 * runFactor + 0.08 * r.normal()),
    operator_rss_bytes: series("bytes", 0, 145, 1, (t) => 120 * MiB + t * 20 * 1024 + r.normal() * MiB),
    workqueue_depth: series("items", 0, 145, 1, () => Math.max(0, 6 * runFactor + 3 * r.normal())),
    reconcile_rate: series("1/s", 0, 145, 1, (t) => (t < 25 ? 40 : 150 + 12 * r.normal())),
    object_count: series("objects", 0, 145, 5, () => 4000 + r.int(-50, 50)),
  };
  const achievedMean = mean(
    (metrics.achieved_rate as { points: Array<[number, number]> }).points.map((p) => p[1]),
  );
  const thresholds: Threshold[] = [
    threshold(metrics, "site_ready_latency", "p(99)<1000"),
    threshold(metrics, "update_observed_latency", "p(99)<1000"),
    {
      metric: "achieved_rate",
      expression: "avg>49",
      value: round(achievedMean, 3),
      passed: achievedMean > 49,
      status: achievedMean > 49 ? "pass" : "fail",
      abortOnFail: false,
    },
    {
      metric: "lost_updates",
      expression: "count==0",
      value: 0,
      passed: true,
      status: "pass",
      abortOnFail: false,
    },
  ];
  return {
    schemaVersion: 2,
    run: syntheticRun({
      scenario: "churn",
      seed: opts.seed,
      startedAt: opts.startedAt ?? "2026-11-20T04:00:00Z",
      durationSeconds: 145,
      definition: {
        name: "churn",
        mesh: { sites: 1000 },
        churn: { rate: 50, mix: { create: 0.3, update: 0.5, delete: 0.2 } },
        phases,
      },
      ...(opts.repeat ? { repeat: opts.repeat } : {}),
    }),
    verdict: thresholds.every((t) => t.passed) ? "pass" : "fail",
    metrics,
    thresholds,
    phases,
    events: phaseEvents(phases),
    checkpoints: [],
    coverage: { expected: 2000, observed: 2000 },
  };
}

export function syntheticFailoverPath(seed = 7): Results {
  const r = new SeededRandom(seed);
  const phases = [
    { name: "seed-sites", kind: "create", startedAt: 0, finishedAt: 20 },
    { name: "inject-link-faults", kind: "inject", startedAt: 20, finishedAt: 80 },
  ];
  const events: RunEvent[] = [...phaseEvents(phases)];
  const convergence: Array<{ t: number; value: number }> = [];
  for (let i = 0; i < 6; i++) {
    const t = 22 + i * 9.5;
    const site = `site-${String(r.int(1, 999)).padStart(4, "0")}`;
    const took = i === 4 ? 2140 : r.logNormal(900, 0.3);
    convergence.push({ t, value: took });
    events.push({
      t,
      kind: "fault.injected",
      source: "mesh",
      detail: { fault: "link-down", site, link: "mpls" },
    });
    events.push({
      t: round(t + took / 1000, 3),
      kind: "reroute.confirmed",
      source: "mesh",
      detail: { site, via: "internet" },
    });
    events.push({
      t: round(t + 5, 3),
      kind: "fault.cleared",
      source: "mesh",
      detail: { fault: "link-down", site },
    });
  }
  events.sort((a, b) => a.t - b.t);
  const metrics: Record<string, Metric> = {
    path_failover_convergence: distribution(convergence),
    path_status_latency: distribution(latencySamples(r, 1500, 520, 0.45, 20, 80)),
    lost_updates: { type: "counter", unit: "count", value: 0 },
    operator_cpu_cores: series("cores", 0, 80, 1, () => 0.3 + 0.05 * r.normal()),
    operator_rss_bytes: series("bytes", 0, 80, 1, () => 130 * MiB + r.normal() * MiB),
    workqueue_depth: series("items", 0, 80, 1, (t) => Math.max(0, (t % 9.5 < 2 ? 30 : 3) + 2 * r.normal())),
    reconcile_rate: series("1/s", 0, 80, 1, () => 60 + 8 * r.normal()),
  };
  const thresholds: Threshold[] = [
    threshold(metrics, "path_failover_convergence", "p(99)<2000"),
    {
      metric: "lost_updates",
      expression: "count==0",
      value: 0,
      passed: true,
      status: "pass",
      abortOnFail: false,
    },
  ];
  return {
    schemaVersion: 2,
    run: syntheticRun({
      scenario: "failover-path",
      seed,
      startedAt: "2026-11-20T05:00:00Z",
      durationSeconds: 80,
      definition: { name: "failover-path", mesh: { sites: 1000, telemetryTickMs: 500 }, phases },
    }),
    verdict: thresholds.every((t) => t.passed) ? "pass" : "fail",
    metrics,
    thresholds,
    phases,
    events,
    checkpoints: [],
    coverage: { expected: 6, observed: 6 },
  };
}

function threshold(metrics: Record<string, Metric>, metric: string, expression: string): Threshold {
  const m = metrics[metric];
  const limit = Number(expression.split("<")[1]);
  const value = m?.type === "distribution" ? m.p99 : null;
  const passed = value !== null && value < limit;
  return { metric, expression, value, passed, status: passed ? "pass" : "fail", abortOnFail: false };
}

function phaseEvents(phases: Results["phases"]): RunEvent[] {
  return phases.flatMap((p) => [
    { t: Number(p.startedAt), kind: "phase.start", source: "harness", detail: p.name },
    { t: Number(p.finishedAt), kind: "phase.end", source: "harness", detail: p.name },
  ]);
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}

import assert from "node:assert/strict";
import { test } from "node:test";
import { syntheticFailoverPath, syntheticScale1000 } from "../../results/synthetic/scenarios.ts";
import { costSlopes } from "./cost-curve.ts";
import { hotPathsData } from "./hot-paths.ts";
import { eventCategory, phaseSeconds, timelineData } from "./timeline.ts";
import { MAX_LINE_POINTS, thin } from "./types.ts";

test("cost slopes are per 1000 objects, RSS in MiB", () => {
  const MiB = 1024 * 1024;
  const slopes = costSlopes([
    { objects: 0, operator_cpu_cores: 0.1, operator_rss_bytes: 50 * MiB },
    { objects: 500, operator_cpu_cores: 0.35, operator_rss_bytes: 100 * MiB },
    { objects: 1000, operator_cpu_cores: 0.6 },
  ]);
  const cpu = slopes.find((s) => s.key === "operator_cpu_cores");
  const rss = slopes.find((s) => s.key === "operator_rss_bytes");
  assert.ok(cpu && Math.abs(cpu.per1000 - 0.5) < 1e-9);
  assert.ok(rss && Math.abs(rss.per1000 - 100) < 1e-9 && rss.unit === "MiB" && rss.fit.n === 2);
});

test("the orchestrator's event kinds land in the right timeline lane", () => {
  const lanes = (kinds: string[]) => kinds.map((kind) => eventCategory({ kind }));
  assert.deepEqual(
    lanes(["fault.inject", "component.restart", "operator.restart", "operator.kill"]),
    Array(4).fill("injection"),
  );
  assert.deepEqual(
    lanes([
      "fault.clear",
      "component.recovered",
      "operator.restarted",
      "operator.caught-up",
      "leader.elected",
      "leader.reconciling",
    ]),
    Array(6).fill("recovery"),
  );
  assert.deepEqual(
    lanes([
      "cluster.ready",
      "system.ready",
      "load.error",
      "churn.cycle",
      "wait.timeout",
      "watch.restart",
      "lost-updates",
    ]),
    Array(7).fill("other"),
  );
  assert.equal(eventCategory({ kind: "phase.start" }), "phase");
});

test("timeline: ISO phase times become run seconds; routine events are capped", () => {
  assert.deepEqual(
    phaseSeconds(
      { name: "p", kind: "sleep", startedAt: "2026-01-01T00:00:10Z", finishedAt: 30 },
      "2026-01-01T00:00:00Z",
    ),
    { start: 10, end: 30 },
  );
  const r = syntheticFailoverPath();
  const noisy = {
    ...r,
    events: [
      ...r.events,
      ...Array.from({ length: 500 }, (_, i) => ({ t: i / 10, kind: "load.error", source: "x", detail: "e" })),
    ],
  };
  const data = timelineData(noisy);
  assert.ok("rows" in data);
  assert.equal(data.rows.filter((row) => row.category === "other").length, 50);
  assert.equal(data.rows.filter((row) => row.category === "injection").length, 6);
  assert.ok("missing" in timelineData({ ...r, events: r.events.filter((e) => e.kind.startsWith("phase")) }));
});

test("long series are thinned for drawing, keeping the last point", () => {
  const points = Array.from({ length: 3600 }, (_, i) => [i, i] as [number, number]);
  const thinned = thin(points);
  assert.ok(thinned.length <= MAX_LINE_POINTS);
  assert.deepEqual(thinned.at(-1), [3599, 3599]);
  assert.equal(thin(points.slice(0, 10)).length, 10);
});

test("hot functions with the same name get one bar each", () => {
  const r = syntheticScale1000();
  const profiled = {
    ...r,
    profile: {
      hotPaths: [
        { function: "(anonymous)", url: "file:///op/a.ts", line: 3, selfPercent: 5, module: "controllers" },
        { function: "(anonymous)", url: "file:///op/b.ts", line: 9, selfPercent: 4, module: "informers" },
        { function: "reconcile", selfPercent: 3 },
      ],
    },
  };
  const data = hotPathsData(profiled);
  assert.ok("rows" in data);
  assert.deepEqual(
    data.rows.map((row) => row.function),
    ["(anonymous) (a.ts:3)", "(anonymous) (b.ts:9)", "reconcile"],
  );
  assert.ok("missing" in hotPathsData({ ...r, profile: { tool: "heap" } }));
});

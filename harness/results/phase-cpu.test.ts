import assert from "node:assert/strict";
import { it } from "node:test";
import { renderHtml } from "../report/outputs/html.ts";
import { renderMarkdown } from "../report/outputs/markdown.ts";
import { renderSummary } from "../run/summary.ts";
import { loadResults } from "./load.ts";
import { phaseCpu } from "./phase-cpu.ts";
import type { Results } from "./schema.ts";

const fixture = new URL("../../fixtures/results/churn/results.json", import.meta.url).pathname;

/** A CPU series averaging `a` cores over (0, 10] and `b` over (10, 20]. */
const overTwoIntervals = (a: number, b: number): Array<[number, number]> => [
  [0, 0],
  [10, a],
  [20, b],
];

/** The churn fixture with CPU series and phases replaced: points are [t, average cores over (prev t, t]]. */
async function withCpu(
  series: Record<string, Array<[number, number]>>,
  phases: Results["phases"],
): Promise<Results> {
  const base = await loadResults(fixture);
  const metrics = Object.fromEntries(Object.entries(base.metrics).filter(([k]) => !k.endsWith("_cpu_cores")));
  for (const [name, points] of Object.entries(series))
    metrics[`${name}_cpu_cores`] = { type: "series", unit: "cores", points };
  return { ...base, metrics, phases };
}

it("averages each process over a phase, weighting sample intervals by their overlap", async () => {
  const results = await withCpu(
    {
      // 0.5 cores over (0, 10], 1.5 over (10, 20]; a phase 5..15 overlaps each by half.
      apiserver: overTwoIntervals(0.5, 1.5),
      operator: overTwoIntervals(0.2, 0.2),
    },
    [
      { name: "first", kind: "create", startedAt: 0, finishedAt: 10 },
      { name: "middle", kind: "wait-for", startedAt: 5, finishedAt: 15 },
      { name: "instant", kind: "wait-for", startedAt: 15, finishedAt: 15.2 },
      { name: "after-the-samples", kind: "sleep", startedAt: 30, finishedAt: 40 },
    ],
  );
  const table = phaseCpu(results);
  assert.deepEqual(
    table.processes,
    ["apiserver", "operator"],
    "only processes with a series, in display order",
  );
  assert.deepEqual(
    table.phases.map((p) => p.phase),
    ["first", "middle"],
    "a sub-second phase and one no sample covers are left out",
  );
  const [first, middle] = table.phases;
  assert.equal(first!.cores.apiserver, 0.5);
  assert.equal(middle!.cores.apiserver, 1);
  assert.ok(Math.abs(middle!.total - 1.2) < 1e-9);
  assert.equal(middle!.saturated, false, "1.2 of 2 cores is not saturated");
});

it("marks a phase saturated at 90 % of the machine's cores, and says so in the summary, summary.md and index.html", async () => {
  const results = await withCpu(
    {
      apiserver: overTwoIntervals(1.3, 0.4),
      etcd: overTwoIntervals(0.2, 0.1),
      controller_manager: overTwoIntervals(0.05, 0.05),
      harness: overTwoIntervals(0.25, 0.05),
    },
    [
      { name: "burst", kind: "create", startedAt: 0, finishedAt: 10 },
      { name: "idle-phase-with-a-long-name", kind: "sleep", startedAt: 10, finishedAt: 20 },
    ],
  );
  const [burst, idle] = phaseCpu(results).phases;
  assert.equal(results.run.machine.cores, 2);
  assert.equal(burst!.saturated, true, "1.8 of 2 cores");
  assert.equal(idle!.saturated, false);

  const summary = renderSummary(results, "/tmp/run");
  assert.match(summary, /cpu by phase \(average cores; this machine has 2; kcm = kube-controller-manager\)/);
  assert.match(summary, /phase\s+seconds\s+apiserver\s+etcd\s+kcm\s+harness\s+total\n/);
  assert.match(summary, /burst\s+10\.0\s+1\.30\s+0\.20\s+0\.05\s+0\.25\s+1\.80 {2}saturated/);
  assert.match(summary, /idle-phase-with-a-long-name {2}\s+10\.0\s+0\.40\s+0\.10\s+0\.05\s+0\.05\s+0\.60\n/);
  // The "seconds" column ends where each row's duration ends, however long a phase name is.
  const columnEnd = (line: string, text: string) => line.indexOf(text) + text.length;
  const lines = summary.split("\n");
  const header = lines.find((l) => l.includes("seconds"))!;
  const rows = lines.filter((l) => /^ {2}(burst|idle)/.test(l));
  assert.deepEqual(
    rows.map((l) => columnEnd(l, "10.0")),
    [columnEnd(header, "seconds"), columnEnd(header, "seconds")],
    "columns aligned with a long phase name",
  );
  assert.match(summary, /latencies there include waiting for CPU/);

  const md = renderMarkdown(results, []);
  assert.match(md, /\| Phase \| Seconds \| apiserver \| etcd \| kcm \| harness \| Total \|/);
  assert.match(md, /\| burst \| 10\.0 \| 1\.30 \| 0\.20 \| 0\.05 \| 0\.25 \| 1\.80 ⚠️ saturated \|/);
  assert.match(md, /\| idle-phase-with-a-long-name \| 10\.0 \| 0\.40 \| 0\.10 \| 0\.05 \| 0\.05 \| 0\.60 \|/);
  assert.match(md, /kcm = kube-controller-manager/);

  const html = renderHtml(results, []);
  assert.match(html, /<h2>CPU by phase \(average cores of 2\)<\/h2>/);
  assert.match(
    html,
    /<tr><td>burst<\/td><td>10\.0<\/td><td>1\.30<\/td><td>0\.20<\/td><td>0\.05<\/td><td>0\.25<\/td><td>1\.80<\/td><td>saturated<\/td><\/tr>/,
  );
  assert.match(html, /latencies in those phases include waiting for CPU/);
});

it("phase times given as ISO timestamps are placed on the run's clock", async () => {
  const base = await withCpu(
    {
      operator: [
        [0, 0],
        [10, 0.25],
      ],
    },
    [],
  );
  const at = (s: number) => new Date(Date.parse(base.run.startedAt) + s * 1000).toISOString();
  const results = { ...base, phases: [{ name: "iso", kind: "create", startedAt: at(2), finishedAt: at(8) }] };
  const [iso] = phaseCpu(results).phases;
  assert.equal(iso!.seconds, 6);
  assert.equal(iso!.cores.operator, 0.25);
});

it("a run without CPU series prints no table", async () => {
  const results = await withCpu({}, [{ name: "burst", kind: "create", startedAt: 0, finishedAt: 10 }]);
  assert.deepEqual(phaseCpu(results).phases, []);
  assert.doesNotMatch(renderSummary(results, "/tmp/run"), /cpu by phase/);
  assert.doesNotMatch(renderMarkdown(results, []), /CPU by phase/);
  assert.doesNotMatch(renderHtml(results, []), /CPU by phase/);
});

it("flags the phases where a containerised operator used ≥ 90 % of its CPU limit", async () => {
  const base = await withCpu(
    {
      operator: overTwoIntervals(0.46, 0.3),
    },
    [
      { name: "burst", kind: "create", startedAt: 0, finishedAt: 10 },
      { name: "calm", kind: "sleep", startedAt: 10, finishedAt: 20 },
    ],
  );
  const results: Results = {
    ...base,
    metrics: { ...base.metrics, operator_cpu_limit_cores: { type: "gauge", unit: "cores", value: 0.5 } },
  };
  const table = phaseCpu(results);
  assert.equal(table.operatorCpuLimit, 0.5);
  assert.deepEqual(
    table.phases.map((p) => [p.phase, p.operatorAtLimit, p.saturated]),
    [
      ["burst", true, false],
      ["calm", false, false],
    ],
  );
  assert.match(renderSummary(results, "/tmp/run"), /burst .* {2}operator at its CPU limit\n/);
  assert.match(renderSummary(results, "/tmp/run"), /of its container's 0\.5 cores/);
  assert.match(renderMarkdown(results, []), /\| burst \| .* ⚠️ operator at its CPU limit \|/);
  assert.equal(phaseCpu(base).phases[0]!.operatorAtLimit, false, "no limit, no flag");
});

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { HarnessError } from "../../errors.ts";
import { loadResults } from "../../results/load.ts";
import type { Metric, Results, Threshold } from "../../results/schema.ts";
import { formatSpreadMarkdown, formatSpreadTable } from "./format.ts";
import { sampleProblem, spreadOf, summarize, thresholdStat } from "./spread.ts";

const fixtures = new URL("../../../fixtures/results/", import.meta.url).pathname;
const template = await loadResults(join(fixtures, "churn-aa-base", "repeat-1"));

const close = (actual: number | null, expected: number, what: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: ${actual} ≠ ${expected}`);

const gauge = (value: number, unit: string): Metric => ({ type: "gauge", unit, value });

function threshold(metric: string, expression: string, value: number | null): Threshold {
  return { metric, expression, value, passed: true, status: "pass", abortOnFail: false };
}

function sample(
  id: string,
  thresholds: Threshold[],
  metrics: Record<string, Metric>,
  scenario = template.run.scenario,
): Results {
  return { ...template, run: { ...template.run, id, scenario }, thresholds, metrics };
}

test("summarize: mean, sample SD (n − 1), CV, min and max of fixed values", () => {
  const s = summarize([10, 12, 14]);
  assert.equal(s.n, 3);
  close(s.mean, 12, "mean");
  close(s.sd, 2, "sd"); // population SD would be 1.633
  close(s.cv, 2 / 12, "cv");
  assert.equal(s.min, 10);
  assert.equal(s.max, 14);
  const t = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
  close(t.mean, 5, "mean");
  close(t.sd, Math.sqrt(32 / 7), "sd");
});

test("summarize: a missing value is left out of n, never counted as 0", () => {
  const s = summarize([10, null, 14]);
  assert.equal(s.n, 2);
  close(s.mean, 12, "mean");
  close(s.sd, Math.sqrt(8), "sd");
  assert.equal(s.min, 10);
});

test("summarize: one value has no SD; all zeros have CV 0; nothing has no mean", () => {
  assert.deepEqual(summarize([5, null]), { n: 1, mean: 5, sd: null, cv: null, min: 5, max: 5 });
  assert.equal(summarize([0, 0, 0]).cv, 0);
  assert.deepEqual(summarize([null, null]), { n: 0, mean: null, sd: null, cv: null, min: null, max: null });
});

test("thresholdStat: the aggregation before the comparison", () => {
  assert.equal(thresholdStat("p(99)<30000"), "p(99)");
  assert.equal(thresholdStat("avg <= 200"), "avg");
  assert.equal(thresholdStat("count==0"), "count");
  assert.equal(thresholdStat("value>=0.99"), "value");
});

test("spreadOf: gated figures at their threshold's statistic and every cost count, highest CV first", () => {
  const paths = 'apiserver_requests_per_object{resource="paths",verb="POST"}';
  const cpu = "operator_cpu_seconds_per_1000_objects";
  const samples = [
    [100, 40, 20, 1],
    [110, 40, 20.2, 1.1],
    [120, 40, 20.4, undefined],
  ].map(([p99, p50, cpuValue, pathsValue], i) =>
    sample(
      `r${i + 1}`,
      [
        threshold("site_ready_latency", "p(99)<30000", p99!),
        threshold("site_ready_latency", "p(99)<=60000", p99!),
        threshold("site_ready_latency", "p(50)<1000", p50!),
      ],
      {
        [cpu]: gauge(cpuValue!, "s/1000 objects"),
        run_duration_seconds: gauge(60 + i, "s"),
        ...(pathsValue === undefined ? {} : { [paths]: gauge(pathsValue, "requests/object") }),
      },
    ),
  );
  const s = spreadOf(samples);
  assert.equal(s.scenario, template.run.scenario);
  assert.deepEqual(s.samples, ["r1", "r2", "r3"]);
  assert.deepEqual(
    s.rows.map((r) => `${r.metric} ${r.stat}`),
    ["site_ready_latency p(99)", `${paths} value`, `${cpu} value`, "site_ready_latency p(50)"],
  );
  const [p99, pathsRow, cpuRow, p50] = s.rows;
  assert.deepEqual(p99?.values, [100, 110, 120]);
  close(p99?.sd ?? null, 10, "p99 sd");
  close(p99?.cv ?? null, 10 / 110, "p99 cv");
  assert.equal(p99?.gated, true);
  assert.equal(p99?.unit, "ms");
  assert.equal(p99?.aboveCostLimit, false, "latencies are not held to the cost-count limit");
  assert.deepEqual(pathsRow?.values, [1, 1.1, null]);
  assert.equal(pathsRow?.n, 2);
  close(pathsRow?.mean ?? null, 1.05, "paths mean");
  assert.equal(pathsRow?.aboveCostLimit, true);
  assert.equal(cpuRow?.gated, false);
  close(cpuRow?.cv ?? null, 0.2 / 20.2, "cpu cv");
  assert.equal(cpuRow?.aboveCostLimit, false);
  assert.equal(p50?.cv, 0);
  // CV 10/110: a t-test needs 15 repeats per side to see a 10 % change.
  assert.equal(p99?.repeatsToSee, 15);

  const table = formatSpreadTable(s);
  assert.match(table, /^Spread across 3 repeats$/m);
  assert.match(table, /⚠ 1 cost count\(s\) above 2 %/);
  const md = formatSpreadMarkdown(s, "###");
  assert.match(md, /^### Spread across 3 repeats$/m);
  assert.match(
    md,
    /\| `apiserver_requests_per_object\{resource="paths",verb="POST"\}` \| value \| cost \| 2 of 3 \| 1\.05 \| 0\.07071 \| 6\.7 % ⚠ \|/,
  );
  assert.match(
    md,
    /\| `operator_cpu_seconds_per_1000_objects` \| value \| cost \| 3 \| 20\.2 \| 0\.2 \| 1\.0 % \|/,
  );
});

test("a threshold never recorded in one run leaves that run out of its n", () => {
  const s = spreadOf([
    sample("a", [threshold("lost_updates", "count==0", 2)], {}),
    sample("b", [threshold("lost_updates", "count==0", null)], {}),
    sample("c", [threshold("lost_updates", "count==0", 4)], {}),
  ]);
  assert.equal(s.rows[0]?.n, 2);
  close(s.rows[0]?.mean ?? null, 3, "mean");
  const zeros = spreadOf([
    sample("a", [threshold("lost_updates", "count==0", 0)], {}),
    sample("b", [threshold("lost_updates", "count==0", 0)], {}),
  ]);
  assert.equal(zeros.rows[0]?.cv, 0);
  assert.equal(zeros.rows[0]?.repeatsToSee, null, "a change of 0 is 0: no repeats see it");
  assert.match(formatSpreadTable(s), /No cost counts were recorded/);
});

test("fewer than 2 runs, or runs of different scenarios, are not a set of repeats", () => {
  const one = sampleProblem([sample("a", [], {})]);
  assert.ok(one instanceof HarnessError);
  assert.match(one.message, /at least 2 runs of one scenario, found 1/);
  assert.match(one.fix ?? "", /--repeat N/);
  const mixed = sampleProblem([
    sample("a", [], {}, "smoke"),
    sample("b", [], {}, "churn"),
    sample("c", [], {}, "churn"),
  ]);
  assert.match(mixed?.message ?? "", /different scenarios \(smoke × 1, churn × 2\)/);
  assert.throws(() => spreadOf([sample("a", [], {})]), HarnessError);
  assert.equal(sampleProblem([sample("a", [], {}), sample("b", [], {})]), undefined);
});

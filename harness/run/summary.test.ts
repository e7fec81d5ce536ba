import assert from "node:assert/strict";
import { it } from "node:test";
import { loadResults } from "../results/load.ts";
import { renderSummary } from "./summary.ts";

it("lists key latencies and every threshold with its pass/fail mark", async () => {
  const results = await loadResults(
    new URL("../../fixtures/results/churn/results.json", import.meta.url).pathname,
  );
  const text = renderSummary(results, "/tmp/run");
  assert.match(text, /scenario churn — (PASS|FAIL)/);
  assert.match(text, /site_ready_latency\s+count=\d+ p50=/);
  for (const t of results.thresholds) {
    const mark = t.passed ? "✓" : "✗";
    assert.ok(text.includes(`${mark} ${t.metric}`), `${mark} ${t.metric} missing`);
  }
  assert.match(text, /results: \/tmp\/run\/results\.json/);
});

it("a run the capacity probe found contaminated says so first, then the probe's figures", async () => {
  const results = await loadResults(
    new URL("../../fixtures/results/churn/results.json", import.meta.url).pathname,
  );
  results.metrics['capacity_probe_seconds{at="start"}'] = { type: "gauge", unit: "s", value: 0.2 };
  results.metrics['capacity_probe_seconds{at="end"}'] = { type: "gauge", unit: "s", value: 0.42 };
  results.metrics.capacity_probe_ratio = { type: "gauge", unit: "ratio", value: 2.1 };
  const reason = "contaminated: the capacity probe took 2.1× longer at the end than at the start";
  results.contamination = { contaminated: true, reasons: [reason] };
  const lines = renderSummary(results, "/tmp/run").split("\n");
  assert.equal(lines[2], `  ${reason} — timing thresholds are inconclusive`);
  assert.match(lines[3] ?? "", /capacity_probe_seconds\s+start 0\.2 s, end 0\.42 s \(end\/start 2\.1\)/);
});

it("shows the operator's own reconcile figures and names what it does not export", async () => {
  const results = await loadResults(
    new URL("../../fixtures/results/churn/results.json", import.meta.url).pathname,
  );
  results.run.operator = { ...results.run.operator, name: "patronus-rs" };
  results.metrics.reconcile_rate = {
    type: "series",
    unit: "1/s",
    points: [
      [1, 10],
      [2, 30],
    ],
  };
  results.metrics.reconcile_errors = { type: "counter", unit: "count", value: 4 };
  delete results.metrics.workqueue_depth;
  results.notApplicable = [
    {
      subject: "metric workqueue_depth",
      reason: "not applicable: the operator patronus-rs has no queue depth metric",
    },
  ];
  const text = renderSummary(results, "/tmp/run");
  assert.match(
    text,
    /\n {2}operator patronus-rs: reconcile_rate max=30 mean=20 1\/s · reconcile_errors 4 · .*no queue depth metric\n/,
  );
  assert.doesNotMatch(text, /workqueue_depth max=/);
  results.notApplicable = ["reconcile_rate", "reconcile_errors", "reconcile_time", "workqueue_depth"].map(
    (m) => ({
      subject: `metric ${m}`,
      reason: "not applicable",
    }),
  );
  for (const m of ["reconcile_rate", "reconcile_errors", "reconcile_time"]) delete results.metrics[m];
  assert.match(
    renderSummary(results, "/tmp/run"),
    /operator patronus-rs exports no reconcile, error or queue metrics/,
  );
});

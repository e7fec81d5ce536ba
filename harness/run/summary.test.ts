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

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadRepeats } from "./load.ts";
import { mergeRepeats } from "./repeats.ts";
import type { Results } from "./schema.ts";

const fixtures = new URL("../../fixtures/results/", import.meta.url).pathname;

test("repeats: one contaminated repeat makes the merge inconclusive, not failed, and says which", async () => {
  const [a, b] = (await loadRepeats(join(fixtures, "churn-aa-base"))).slice(0, 2) as [Results, Results];
  const clean: Results = { ...a, verdict: "pass", contamination: { contaminated: false, reasons: [] } };
  const busy: Results = {
    ...b,
    verdict: "inconclusive",
    thresholds: b.thresholds.map((t, i) => (i === 0 ? { ...t, status: "inconclusive" as const } : t)),
    contamination: { contaminated: true, reasons: ["contaminated: another process used 1.1 of 2 cores"] },
  };
  const merged = mergeRepeats([clean, busy]);
  assert.equal(merged.verdict, "inconclusive");
  assert.equal(merged.thresholds[0]?.status, "inconclusive");
  assert.deepEqual(merged.contamination, {
    contaminated: true,
    reasons: ["repeat 2: contaminated: another process used 1.1 of 2 cores"],
  });
  assert.equal(mergeRepeats([clean, { ...clean, verdict: "fail" }]).verdict, "fail");
});

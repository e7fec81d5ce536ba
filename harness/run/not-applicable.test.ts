import assert from "node:assert/strict";
import { it } from "node:test";
import type { Results } from "../results/schema.ts";
import { withApplicability } from "./not-applicable.ts";

const threshold = (metric: string, passed: boolean) => ({
  metric,
  expression: "p(99)<1000",
  value: passed ? 1 : null,
  passed,
  status: passed ? ("pass" as const) : ("fail" as const),
  abortOnFail: false,
});

it("marks thresholds on what the operator lacks not applicable, never passed, and judges the rest", () => {
  const results = {
    verdict: "fail",
    thresholds: [threshold("site_ready_latency", true), threshold("path_status_latency", false)],
  } as unknown as Results;
  const reason = "not applicable: the operator patronus-rs has no Path resource";
  const out = withApplicability(results, {
    thresholds: new Map([["path_status_latency", reason]]),
    notApplicable: [{ subject: "phase paths-ready", reason }],
  });
  assert.equal(out.verdict, "pass");
  assert.deepEqual(out.thresholds[1], {
    ...threshold("path_status_latency", false),
    status: "not-applicable",
    passed: false,
    reason,
  });
  assert.deepEqual(out.notApplicable, [{ subject: "phase paths-ready", reason }]);
  const failing = withApplicability(
    {
      ...results,
      thresholds: [threshold("site_ready_latency", false), threshold("path_status_latency", false)],
    },
    { thresholds: new Map([["path_status_latency", reason]]), notApplicable: [] },
  );
  assert.equal(failing.verdict, "fail");
});

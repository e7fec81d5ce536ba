import assert from "node:assert/strict";
import { it } from "node:test";
import type { Results } from "../../results/schema.ts";
import { renderJunit } from "./junit.ts";

it("reports a not-applicable threshold as skipped with its reason, neither passed nor failed", () => {
  const results = {
    run: { scenario: "smoke", startedAt: "2026-12-07T00:00:00Z", durationSeconds: 1, id: "r" },
    verdict: "pass",
    thresholds: [
      {
        metric: "site_ready_latency",
        expression: "p(99)<1000",
        value: 10,
        passed: true,
        status: "pass",
        abortOnFail: false,
      },
      {
        metric: "path_status_latency",
        expression: "p(99)<3000",
        value: null,
        passed: false,
        status: "not-applicable",
        reason: "not applicable: the operator patronus-rs has no Path resource",
        abortOnFail: false,
      },
    ],
  } as unknown as Results;
  const xml = renderJunit(results);
  assert.match(xml, /failures="0" errors="0" skipped="1"/);
  assert.match(
    xml,
    /<skipped message="not-applicable: not applicable: the operator patronus-rs has no Path resource"\/>/,
  );
  assert.doesNotMatch(xml, /<failure/);
});

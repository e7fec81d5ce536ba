import assert from "node:assert/strict";
import { test } from "node:test";
import { RunEventLog } from "../events/run-events.ts";
import type { MeasurementContext } from "../measurement.ts";
import { MetricStore } from "../metrics/store.ts";
import { PatronusApiCallersMeasurement } from "./patronus-api-callers.ts";

test("records requests and 429s per caller, the 429 total and aborted requests", async () => {
  const ctx = {
    store: new MetricStore(),
    events: new RunEventLog(),
    mesh: {
      callerCounts: async () => ({
        requests: { "replica-0": 120, "replica-1": 30 },
        rateLimited: { "replica-0": 7 },
        aborted: 2,
      }),
    },
  } as unknown as MeasurementContext;
  await new PatronusApiCallersMeasurement().stop(ctx);
  assert.equal(ctx.store.counterValue("patronus_api_rate_limited"), 7);
  assert.equal(ctx.store.counterValue('patronus_api_rate_limited{caller="replica-0"}'), 7);
  assert.equal(ctx.store.counterValue('patronus_api_requests{caller="replica-1"}'), 30);
  assert.equal(ctx.store.counterValue("patronus_api_aborted"), 2);
});

test("a simulator that cannot be read is an event, not a failed run", async () => {
  const ctx = {
    store: new MetricStore(),
    events: new RunEventLog(),
    mesh: {
      callerCounts: async () => {
        throw new Error("connection refused");
      },
    },
  } as unknown as MeasurementContext;
  await new PatronusApiCallersMeasurement().stop(ctx);
  assert.equal(ctx.store.counterValue("patronus_api_rate_limited"), 0);
  assert.deepEqual(
    ctx.events.all().map((e) => e.kind),
    ["scrape.failures"],
  );
});

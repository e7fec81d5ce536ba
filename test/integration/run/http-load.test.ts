/**
 * The http-load phase drives autocannon against a real (in-process) mesh simulator's Patronus
 * API: requests carry the bearer token (so they are served, not 401), every response's latency is
 * recorded, and non-loopback targets are refused.
 */
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { RunEventLog } from "../../../harness/measure/events/run-events.ts";
import { MetricStore } from "../../../harness/measure/metrics/store.ts";
import { type MeshSimulator, startMeshSimulator } from "../../../harness/mesh/index.ts";
import type { PhaseContext } from "../../../harness/run/context.ts";
import { runHttpLoad } from "../../../harness/run/phases/http-load.ts";

let sim: MeshSimulator;
before(async () => {
  sim = await startMeshSimulator({ sites: 10, regions: 1, hubsPerRegion: 1, preload: true, tickMs: 1000 });
});
after(async () => {
  await sim.stop();
});

function context(url: string): PhaseContext {
  return {
    store: new MetricStore(),
    events: new RunEventLog(),
    signal: new AbortController().signal,
    patronus: { url, token: sim.token },
  } as unknown as PhaseContext;
}

it("loads the Patronus API with the run's token and records each response", { timeout: 20_000 }, async () => {
  const ctx = context(sim.url);
  await runHttpLoad(ctx, {
    kind: "http-load",
    path: "/api/v1/sites?limit=5",
    method: "GET",
    connections: 2,
    duration: 2000,
    rate: 50,
  });
  const m = ctx.store.toMetrics();
  const requests = m.http_load_requests;
  assert.ok(
    requests?.type === "counter" && requests.value >= 50 && requests.value <= 150,
    JSON.stringify(requests),
  );
  assert.deepEqual(m.http_load_non2xx, { type: "counter", unit: "count", value: 0 });
  const latency = m.http_load_latency;
  assert.ok(latency?.type === "distribution" && latency.count >= requests.value - 2);
});

it("refuses a target that is not the loopback simulator", async () => {
  await assert.rejects(
    runHttpLoad(context("http://example.com:80"), {
      kind: "http-load",
      path: "/",
      method: "GET",
      connections: 1,
      duration: 1000,
    }),
    /loopback/,
  );
});

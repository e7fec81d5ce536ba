/**
 * The Patronus client and telemetry stream against the real mesh simulator library (in-process,
 * loopback): contract validation, 429 Retry-After, 503 hints, resets, the circuit breaker, and
 * stream resume by cursor.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { Registry } from "prom-client";
import { type MeshSimulator, startMeshSimulator } from "../../../harness/mesh/index.ts";
import { CircuitOpenError } from "../../../operator/patronus/circuit-breaker.ts";
import {
  isTransient,
  PatronusApiError,
  PatronusClient,
  PatronusUnavailableError,
} from "../../../operator/patronus/client.ts";
import { createPatronusMetrics } from "../../../operator/patronus/metrics.ts";
import { TelemetryStream } from "../../../operator/patronus/telemetry-stream.ts";

const spec = {
  region: "eu",
  hub: false,
  links: [{ name: "mpls0", type: "mpls" as const, bandwidthMbps: 100, cost: 1 }],
};
const quiet = pino({ level: "silent" });

async function served503(sim: MeshSimulator): Promise<number> {
  const text = await (await fetch(`${sim.url}/metrics`)).text();
  let n = 0;
  for (const line of text.split("\n"))
    if (line.startsWith("mesh_http_requests_total{") && line.includes('code="503"'))
      n += Number(line.split(" ").at(-1));
  return n;
}

/** A telemetry stream of the client's, reconnecting fast, feeding `listener`. */
function streamOf(
  c: PatronusClient,
  sim: MeshSimulator,
  metrics: ReturnType<typeof createPatronusMetrics>,
  listener: ConstructorParameters<typeof TelemetryStream>[0]["listener"],
): TelemetryStream {
  return new TelemetryStream({
    baseUrl: sim.url,
    authorization: c.authorization,
    metrics,
    logger: quiet,
    backoff: { baseMs: 50, maxMs: 200 },
    listener,
  });
}

async function until(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await ok())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function client(sim: MeshSimulator, over: Partial<ConstructorParameters<typeof PatronusClient>[0]> = {}) {
  const metrics = createPatronusMetrics(new Registry());
  return {
    metrics,
    c: new PatronusClient({
      baseUrl: sim.url,
      token: sim.token,
      metrics,
      backoff: { baseMs: 20, maxMs: 200 },
      ...over,
    }),
  };
}

describe("PatronusClient against the mesh simulator", { timeout: 60_000 }, () => {
  let sim: MeshSimulator;

  before(async () => {
    sim = await startMeshSimulator({
      sites: 2,
      regions: 1,
      hubsPerRegion: 1,
      tickMs: 100,
      linkEventProbability: 0,
    });
  });
  after(async () => {
    await sim?.stop();
  });

  it("registers, reads and updates a site with contract-validated responses", async () => {
    const { c } = client(sim);
    const s = await c.registerSite({ name: "cl-1", ...spec });
    assert.equal(s.revision, 1);
    assert.equal((await c.registerSite({ name: "cl-1", ...spec })).id, s.id, "idempotent by name");
    await assert.rejects(
      c.registerSite({ name: "cl-1", ...spec, region: "us" }),
      (e: unknown) => e instanceof PatronusApiError && e.status === 409 && !isTransient(e),
    );
    assert.equal((await c.updateSite("cl-1", { ...spec, region: "us" })).revision, 2);
    assert.equal(await c.getSite("nope"), undefined);
    await c.deregisterSite("cl-1");
    await c.deregisterSite("cl-1");
    await c.close();
  });

  it("a wrong token is a definite 401, not retried", async () => {
    const { c, metrics } = client(sim, { token: "x".repeat(20) });
    await assert.rejects(c.getSite("a"), (e: unknown) => e instanceof PatronusApiError && e.status === 401);
    assert.equal((await metrics.retries.get()).values.length, 0);
    await c.close();
  });

  it("waits out a short 503 Retry-After in line, hands a long one to the caller", async () => {
    const { c, metrics } = client(sim, { maxRetryAfterMs: 1500 });
    const fault = await sim.faults.api({ kind: "unavailable", durationMs: 800 });
    const t0 = performance.now();
    assert.equal(await c.getSite("missing"), undefined);
    assert.ok(performance.now() - t0 >= 700, "waited for Retry-After (1 s)");
    assert.ok((await metrics.retries.get()).values.some((v) => v.labels.reason === "http_503"));
    await sim.faults.clear(fault.id).catch(() => {});
    const long = await sim.faults.api({ kind: "unavailable", durationMs: 5000 });
    await assert.rejects(
      c.getSite("missing"),
      (e: unknown) =>
        e instanceof PatronusApiError && e.status === 503 && (e.retryAfterMs ?? 0) >= 4000 && isTransient(e),
    );
    await sim.faults.clear(long.id);
    await c.close();
  });

  it("honours 429 Retry-After from the API's rate limiter", async () => {
    const limited = await startMeshSimulator({
      sites: 1,
      regions: 1,
      hubsPerRegion: 1,
      rateLimit: { requestsPerSecond: 1, burst: 1 },
    });
    try {
      const { c, metrics } = client(limited);
      await c.getSite("a");
      const t0 = performance.now();
      await c.getSite("a");
      assert.ok(performance.now() - t0 >= 900, "second call waited ~1 s as told");
      assert.ok((await metrics.retries.get()).values.some((v) => v.labels.reason === "rate_limited"));
      await c.close();
    } finally {
      await limited.stop();
    }
  });

  it("retries idempotent calls after a connection reset, never a non-idempotent one", async () => {
    const { c } = client(sim);
    await c.registerSite({ name: "cl-2", ...spec });
    await c.putPolicy("p1", {
      class: "voice",
      sites: ["cl-2"],
      sla: { maxLatencyMs: 100, maxJitterMs: 10, maxLossPercent: 1 },
      preferredLinks: ["mpls"],
    });
    await sim.faults.api({ kind: "reset", count: 1 });
    assert.ok(await c.getSite("cl-2"), "GET retried after the reset");
    await sim.faults.api({ kind: "reset", count: 1 });
    await assert.rejects(c.applyPolicy("p1"), PatronusUnavailableError);
    const op = await c.applyPolicy("p1");
    assert.equal(op.kind, "policy-apply");
    await c.close();
  });

  it("times out a call the API does not answer in time, retries it and counts the retries as timeouts", async () => {
    const { c, metrics } = client(sim, { timeoutMs: 200, maxRetries: 1 });
    const fault = await sim.faults.api({ kind: "latency", latencyMs: 4000, durationMs: 20_000 });
    try {
      const t0 = performance.now();
      await assert.rejects(c.getSite("a"), (err: unknown) => {
        assert.ok(err instanceof PatronusUnavailableError, String(err));
        assert.match(err.message, /after 2 attempts/);
        return true;
      });
      // Two timed-out attempts (undici's timers fire within about a second) and one backoff,
      // against 8 s for two answers at the API's pace.
      const took = performance.now() - t0;
      assert.ok(took < 3500, `took ${Math.round(took)} ms`);
      const retries = (await metrics.retries.get()).values;
      assert.deepEqual(
        retries.map((v) => [v.labels.reason, v.value]),
        [["timeout", 1]],
      );
    } finally {
      await sim.faults.clear(fault.id);
      await c.close();
    }
  });

  it("opens the circuit after repeated failures: later calls fail fast without reaching the API", async () => {
    const { c, metrics } = client(sim, {
      maxRetries: 0,
      maxRetryAfterMs: 0,
      breaker: { failureThreshold: 3, openMs: 60_000, maxOpenMs: 60_000 },
    });
    const fault = await sim.faults.api({ kind: "unavailable", durationMs: 10_000 });
    try {
      const before = await served503(sim);
      for (let i = 0; i < 3; i++) await assert.rejects(c.getSite("a"), PatronusApiError);
      for (let i = 0; i < 20; i++) await assert.rejects(c.getSite("a"), CircuitOpenError);
      assert.equal(
        (await served503(sim)) - before,
        3,
        "only the calls before the circuit opened reached the API",
      );
      assert.equal((await metrics.rejected.get()).values[0]?.value, 20);
      assert.equal(c.breaker.state, "open");
    } finally {
      await sim.faults.clear(fault.id);
      await c.close();
    }
  });

  it("telemetry stream: snapshot first, then resumes by cursor after a drop without a second snapshot", async () => {
    const { c } = client(sim);
    const { metrics } = client(sim);
    await c.registerSite({ name: "tel-a", ...spec });
    await c.registerSite({ name: "tel-b", ...spec });
    await c.putTunnels("tm", [
      { id: "tel-a.tel-b.mpls0.mpls0", siteA: "tel-a", siteB: "tel-b", linkA: "mpls0", linkB: "mpls0" },
    ]);
    const seen = { snapshots: 0, updates: 0 };
    const stream = streamOf(c, sim, metrics, {
      snapshot: () => seen.snapshots++,
      update: () => seen.updates++,
    });
    stream.start();
    try {
      await until("snapshot", () => seen.snapshots === 1 && stream.cursor !== undefined);
      await sim.faults.degrade({ target: { kind: "link", site: "tel-a", link: "mpls0" }, addLatencyMs: 50 });
      await until("an update", () => seen.updates > 0);
      const cursor = stream.cursor ?? 0;
      await sim.faults.api({ kind: "drop-stream" });
      await sim.faults.degrade({ target: { kind: "link", site: "tel-b", link: "mpls0" }, addLatencyMs: 80 });
      const reconnects = async () =>
        (await metrics.streamReconnects.get()).values.reduce((n, v) => n + v.value, 0);
      await until("the drop noticed", async () => (await reconnects()) > 0);
      const updatesBefore = seen.updates;
      await until(
        "resumed updates",
        () => stream.connected && (stream.cursor ?? 0) > cursor && seen.updates > updatesBefore,
      );
      assert.equal(seen.snapshots, 1, "resumed by cursor: no second snapshot");
    } finally {
      await stream.stop();
      await c.close();
    }
  });

  it("telemetry stream: a tunnel taken out of the program arrives as removed", async () => {
    const { c, metrics } = client(sim);
    await c.registerSite({ name: "rm-a", ...spec });
    await c.registerSite({ name: "rm-b", ...spec });
    await c.registerSite({ name: "rm-c", ...spec });
    const ab = { id: "rm-a.rm-b.mpls0.mpls0", siteA: "rm-a", siteB: "rm-b", linkA: "mpls0", linkB: "mpls0" };
    const ac = { id: "rm-a.rm-c.mpls0.mpls0", siteA: "rm-a", siteB: "rm-c", linkA: "mpls0", linkB: "mpls0" };
    await c.putTunnels("rm", [ab, ac]);
    const removed: string[] = [];
    let snapshot = false;
    const stream = streamOf(c, sim, metrics, {
      snapshot: () => {
        snapshot = true;
      },
      update: (_tunnels, gone) => removed.push(...gone),
    });
    stream.start();
    try {
      await until("snapshot", () => snapshot);
      await c.putTunnels("rm", [ab]);
      await until("the removal", () => removed.includes(ac.id));
      assert.deepEqual(removed, [ac.id]);
    } finally {
      await stream.stop();
      await c.close();
    }
  });
});

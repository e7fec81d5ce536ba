/**
 * The Path status write budget: with a small --path-status-qps the first telemetry for a dozen
 * Paths is written at the bounded rate (the rest requeued, not dropped), and a Site created at
 * the same time is not held up behind the Path writes.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { condition, type OperatorEnv, scrape, site, startEnv, waitFor } from "./env.ts";
import type { OperatorProcess } from "./operator-process.ts";

const QPS = 2;
const BURST = 2;
const BRANCHES = 6;

describe("Path status write budget", { timeout: 300_000 }, () => {
  let env: OperatorEnv;
  let op: OperatorProcess;

  before(async () => {
    env = await startEnv();
    op = await env.startOperator("op-budget", {
      args: ["--path-status-qps", String(QPS), "--path-status-burst", String(BURST)],
    });
  });

  after(async () => {
    await env?.stop();
  });

  it("writes Path status no faster than its own budget and never starves the Site controller", async (t) => {
    await env.objects.create("sites", site("hub-1", { hub: true, labels: { mesh: "b" } }));
    for (let i = 0; i < BRANCHES; i++)
      await env.objects.create("sites", site(`br-${i}`, { labels: { mesh: "b" } }));
    await env.objects.create("meshes", {
      apiVersion: "sdwan.patronus.io/v1alpha1",
      kind: "Mesh",
      metadata: { name: "b" },
      spec: { topology: { type: "hub-spoke" }, siteSelector: { matchLabels: { mesh: "b" } } },
    });
    const total = BRANCHES * 2;
    const writes = async () => (await scrape(op.metricsUrl)).sum("patronus_path_status_writes_total");
    await waitFor("first Path status write", async () => (await writes()) > 0, 30_000, 50);
    const firstAt = Date.now();
    // A Site created while Path writes are throttled still goes through at once.
    await env.objects.create("sites", site("late-1"));
    await waitFor(
      "late-1 Ready",
      async () => condition(await env.objects.get("sites", "late-1"), "Ready")?.status === "True",
      3000,
      50,
    );
    const siteReadyMs = Date.now() - firstAt;
    await waitFor("every Path written", async () => (await writes()) >= total, 60_000, 100);
    const spanMs = Date.now() - firstAt;
    const m = await scrape(op.metricsUrl);
    t.diagnostic(`${total} first writes spread over ${spanMs} ms; late Site Ready after ${siteReadyMs} ms`);
    // Burst 2 then 2/s: the last of 12 cannot land before (12 − 2) / 2 = 5 s after the first.
    assert.ok(
      spanMs >= ((total - BURST) / QPS) * 1000 - 1200,
      `Path writes took only ${spanMs} ms: the budget was not applied`,
    );
    assert.ok(m.sum("patronus_path_status_skipped_total", { reason: "rate_limited" }) > 0);
    assert.equal(
      (await env.objects.list("paths")).filter((p) => p.status?.state).length,
      total,
      "throttled writes were deferred, not lost",
    );
  });
});

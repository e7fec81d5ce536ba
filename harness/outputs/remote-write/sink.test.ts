import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, it } from "node:test";
import { RunEventLog } from "../../measure/events/run-events.ts";
import { ScrapeFeed } from "../../measure/metrics/scrape-feed.ts";
import { MetricStore } from "../../measure/metrics/store.ts";
import type { Results } from "../../results/schema.ts";
import { decodeWriteRequest, type TimeSeries } from "./protocol.ts";
import { RemoteWriteSink } from "./sink.ts";

describe("prometheus-rw sink", () => {
  it("sends window points as _window series, final figures as a summary and histogram buckets, thresholds and the verdict, with the run's labels", async () => {
    const received: TimeSeries[] = [];
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      received.push(...decodeWriteRequest(new Uint8Array(Buffer.concat(chunks))));
      res.writeHead(204).end();
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const { port } = server.address() as { port: number };
    const sink = new RemoteWriteSink(`http://127.0.0.1:${port}/api/v1/write`);
    const origin = performance.now();
    const run = {
      id: "smoke-1",
      startedAtMs: Date.now(),
      store: new MetricStore(origin),
      events: new RunEventLog(origin),
      labels: { scenario: "smoke", git_commit: "abc", operator: "reference", cluster_provider: "embedded" },
    };
    const stop = sink.attach(run);
    run.store.record('site_ready_latency{phase="create"}', 10);
    run.store.record('site_ready_latency{phase="create"}', 30);
    run.store.flushWindows();
    run.store.count("lost_updates", 0);
    stop();
    const metrics = run.store.toMetrics();
    sink.runEnded(run, {
      metrics,
      thresholds: [
        { metric: "lost_updates", expression: "count==0", status: "pass" },
        { metric: "site_ready_latency", expression: "p(99)<1", status: "fail" },
        { metric: "x", expression: "p(99)<1", status: "inconclusive" },
      ],
      verdict: "fail",
    } as unknown as Results);
    const report = await sink.close(5_000);
    server.close();

    const find = (name: string, labels: Record<string, string> = {}) =>
      received.filter((s) => {
        const l = Object.fromEntries(s.labels.map((x) => [x.name, x.value]));
        return l.__name__ === name && Object.entries(labels).every(([k, v]) => l[k] === v);
      });
    const value = (name: string, labels: Record<string, string> = {}) => {
      const all = find(name, labels);
      assert.equal(all.length, 1, `${name} ${JSON.stringify(labels)}: ${all.length} series`);
      return all[0]!.samples.map((s) => s.value);
    };
    const latency = metrics['site_ready_latency{phase="create"}'];
    assert.ok(latency?.type === "distribution");
    assert.deepEqual(value("patronus_bench_site_ready_latency", { phase: "create", quantile: "0.99" }), [
      latency.p99,
    ]);
    assert.deepEqual(value("patronus_bench_site_ready_latency_count", { phase: "create" }), [2]);
    assert.deepEqual(value("patronus_bench_site_ready_latency_sum", { phase: "create" }), [latency.mean * 2]);
    // Observations 10 and 30: none at or below 8, one at or below 11.3 (and 22.6), both at 32.
    for (const [le, count] of [
      ["8", 0],
      ["11.3", 1],
      ["22.6", 1],
      ["32", 2],
      ["741000", 2],
      ["+Inf", 2],
    ] as const)
      assert.deepEqual(
        value("patronus_bench_site_ready_latency_bucket", { phase: "create", le }),
        [count],
        `le=${le}`,
      );
    assert.equal(find("patronus_bench_site_ready_latency_bucket", { phase: "create" }).length, 41);
    assert.equal(
      find("patronus_bench_site_ready_latency_window", { phase: "create", quantile: "0.99" }).length,
      1,
    );
    assert.deepEqual(value("patronus_bench_lost_updates"), [0]);
    assert.deepEqual(
      value("patronus_bench_threshold", { metric: "lost_updates", expression: "count==0" }),
      [1],
    );
    assert.deepEqual(value("patronus_bench_threshold", { metric: "site_ready_latency" }), [0]);
    assert.equal(find("patronus_bench_threshold", { metric: "x" }).length, 0, "inconclusive is not sent");
    assert.deepEqual(value("patronus_bench_verdict", { verdict: "fail" }), [0]);
    for (const s of received) {
      const l = Object.fromEntries(s.labels.map((x) => [x.name, x.value]));
      assert.deepEqual(
        [l.scenario, l.run_id, l.git_commit, l.operator, l.cluster_provider],
        ["smoke", "smoke-1", "abc", "reference", "embedded"],
      );
    }
    assert.equal(
      report.sent,
      received.reduce((n, s) => n + s.samples.length, 0),
    );
    assert.equal(report.dropped, 0);
  });

  it("sends events for annotations and forwards the operator's scrapes with up and a replica label", async () => {
    const received: TimeSeries[] = [];
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      received.push(...decodeWriteRequest(new Uint8Array(Buffer.concat(chunks))));
      res.writeHead(204).end();
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const { port } = server.address() as { port: number };
    const sink = new RemoteWriteSink(`http://127.0.0.1:${port}/api/v1/write`, { flushMs: 20 });
    const origin = performance.now();
    const scrapes = new ScrapeFeed();
    const run = {
      id: "smoke-2",
      startedAtMs: Date.now(),
      store: new MetricStore(origin),
      events: new RunEventLog(origin),
      scrapes,
      labels: { scenario: "smoke", operator: "reference" },
    };
    assert.equal(scrapes.followed, false);
    const stop = sink.attach(run);
    assert.equal(scrapes.followed, true);
    const at = performance.now();
    run.events.record("phase.start", "harness", { name: "create-sites", kind: "create" }, at);
    run.events.record("phase.start", "harness", { name: "create-sites", kind: "create" }, at);
    run.events.record("fault.inject", "harness", { target: { kind: "link" } }, at);
    const sample = (value: number) => ({
      name: "controller_runtime_reconcile_total",
      labels: { controller: "site" },
      value,
    });
    run.store.record("delete_latency", 3);
    scrapes.publish({ instance: "operator-0", at, samples: [sample(1)] });
    scrapes.publish({ instance: "operator-0", at: at + 5, samples: [sample(4)] });
    await new Promise((ok) => setTimeout(ok, 60));
    stop();
    await sink.close(5_000);
    server.close();
    const labelsOf = (s: TimeSeries) => Object.fromEntries(s.labels.map((x) => [x.name, x.value]));
    const named = (n: string) => received.filter((s) => labelsOf(s).__name__ === n);
    const phases = named("patronus_bench_event").filter((s) => labelsOf(s).kind === "phase.start");
    assert.equal(phases.length, 1, "one series for both starts of a phase");
    assert.equal(labelsOf(phases[0]!).name, "create-sites");
    const [first, second] = phases[0]!.samples;
    assert.ok(second && first && second.timestamp > first.timestamp, "one series, two events: two times");
    const fault = named("patronus_bench_event").find((s) => labelsOf(s).kind === "fault.inject");
    assert.equal(labelsOf(fault!).detail, '{"target":{"kind":"link"}}');
    const reconciles = named("controller_runtime_reconcile_total");
    assert.deepEqual(
      reconciles.flatMap((s) => s.samples.map((x) => x.value)),
      [4],
      "the latest scrape per replica per flush",
    );
    assert.deepEqual(
      [
        labelsOf(reconciles[0]!).replica,
        labelsOf(reconciles[0]!).controller,
        labelsOf(reconciles[0]!).run_id,
      ],
      ["operator-0", "site", "smoke-2"],
    );
    const inf = named("patronus_bench_delete_latency_bucket").filter((s) => labelsOf(s).le === "+Inf");
    assert.ok(inf[0]?.samples.length, "buckets are sent with every flush while the run goes");
    assert.ok(inf[0].samples.every((x) => x.value === 1));
    const count = named("patronus_bench_delete_latency_count")[0]!;
    assert.deepEqual(
      count.samples.map((x) => x.timestamp),
      inf[0].samples.map((x) => x.timestamp),
      "+Inf and _count at the same times",
    );
    assert.equal(named("up").length, 1);
    assert.equal(labelsOf(named("up")[0]!).operator, "reference");
  });
});

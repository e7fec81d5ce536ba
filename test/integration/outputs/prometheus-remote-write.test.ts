/**
 * `run smoke --out prometheus-rw=…` against a real Prometheus (remote-write receiver on loopback,
 * its TSDB in a temp dir): the figures Prometheus answers for the run's id equal results.json's,
 * the thresholds and the verdict are there, and the summary counts what the sink sent.
 * Prometheus is stopped at the end, also when an assertion fails.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { execa, type ResultPromise } from "execa";
import { splitMetricKey } from "../../../harness/outputs/sink.ts";
import { loadResults } from "../../../harness/results/load.ts";
import { requires } from "../../prerequisites/requires.ts";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const CLI = join(ROOT, "harness", "cli", "main.ts");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as { port: number }).port;
  await new Promise((ok) => server.close(ok));
  return port;
}

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

describe("--out prometheus-rw", { ...requires("prometheus"), concurrency: false }, () => {
  let prometheus: ResultPromise | undefined;
  let base = "";

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "prometheus-rw-"));
    const config = join(dir, "prometheus.yml");
    writeFileSync(config, "global:\n  scrape_interval: 1m\n");
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    prometheus = execa(
      "prometheus",
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--web.enable-remote-write-receiver",
      ],
      { reject: false, cleanup: true, stdio: ["ignore", "ignore", "pipe"] },
    );
    for (let i = 0; i < 150; i++) {
      const ready = await fetch(`${base}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      if (prometheus.exitCode !== null) break;
      await sleep(200);
    }
    throw new Error(`prometheus did not become ready: ${(await prometheus).stderr}`);
  });

  after(async () => {
    prometheus?.kill("SIGTERM");
    await prometheus;
  });

  async function query(expr: string): Promise<Vector[]> {
    const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; data: { result: Vector[] }; error?: string };
    assert.equal(body.status, "success", `${expr}: ${body.error}`);
    return body.data.result;
  }

  async function one(expr: string): Promise<number> {
    const result = await query(expr);
    assert.equal(result.length, 1, `${expr}: ${JSON.stringify(result)}`);
    return Number(result[0]!.value[1]);
  }

  it("Prometheus answers the run's figures, thresholds and verdict as results.json has them", {
    timeout: 560_000,
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), "run-prometheus-rw-"));
    const res = await execa(
      process.execPath,
      [
        CLI,
        "run",
        "smoke",
        "--out",
        out,
        "--out",
        `prometheus-rw=${base}/api/v1/write`,
        "--out",
        `json=${join(out, "stream.jsonl")}`,
        "--no-report",
        "--set",
        'thresholds={"lost_updates":["count==0"],"dropped_iterations":["count==0"]}',
        // A loaded machine starts kube-apiserver slowly; this test is about the sink, not start-up.
        "--set",
        "cluster.knobs.startTimeoutSeconds=240",
      ],
      { cwd: ROOT, reject: false, timeout: 540_000, env: { CI: "1" } },
    );
    // 99 (a threshold failed on a loaded machine) still has every figure sent: the sink is what is tested.
    assert.ok(
      res.exitCode === 0 || res.exitCode === 99,
      `exit ${res.exitCode}\n${res.stderr.slice(-3000)}\n${res.stdout.slice(-2000)}`,
    );
    const results = await loadResults(join(out, "results.json"));
    const id = results.run.id;
    const sel = (extra = "") => `{run_id="${id}",scenario="smoke",cluster_provider="embedded"${extra}}`;

    const lost = results.metrics.lost_updates;
    assert.ok(lost && lost.type === "counter", "smoke records lost_updates");
    assert.equal(await one(`patronus_bench_lost_updates${sel()}`), lost.value);

    const [key, latency] = Object.entries(results.metrics).find(
      ([k, m]) => k.startsWith("site_ready_latency") && m.type === "distribution",
    ) ?? [undefined, undefined];
    assert.ok(key && latency?.type === "distribution", "smoke records site_ready_latency");
    const own = Object.entries(splitMetricKey(key).labels)
      .map(([k, v]) => `,${k}="${v}"`)
      .join("");
    // The run-wide distribution has no phase; `phase=""` keeps the per-phase ones out.
    const only = own === "" ? ',phase=""' : own;
    assert.ok(latency.count > 0);
    assert.equal(await one(`patronus_bench_site_ready_latency_count${sel(only)}`), latency.count);
    assert.equal(
      await one(`patronus_bench_site_ready_latency${sel(`${only},quantile="0.99"`)}`),
      latency.p99,
    );

    const series = await query(`patronus_bench_lost_updates${sel()}`);
    assert.equal(series[0]!.metric.git_commit, results.run.git.commit);
    assert.equal(series[0]!.metric.operator, results.run.operator.name);

    const thresholds = await query(`patronus_bench_threshold${sel()}`);
    assert.equal(thresholds.length, results.thresholds.length);
    for (const t of results.thresholds) {
      const found = thresholds.find(
        (v) => v.metric.metric === t.metric && v.metric.expression === t.expression,
      );
      assert.ok(found, `threshold ${t.metric} ${t.expression} in Prometheus`);
      assert.equal(found.value[1], t.status === "pass" ? "1" : "0");
    }
    assert.equal(
      await one(`patronus_bench_verdict${sel(`,verdict="${results.verdict}"`)}`),
      results.verdict === "pass" ? 1 : 0,
    );

    const sent = results.metrics[`output_samples_sent{sink="prometheus-rw",target="${base}/api/v1/write"}`];
    const dropped =
      results.metrics[`output_samples_dropped{sink="prometheus-rw",target="${base}/api/v1/write"}`];
    assert.ok(sent?.type === "counter" && sent.value > 0, "results.json counts the samples sent");
    assert.ok(dropped?.type === "counter" && dropped.value === 0, "nothing dropped");
    assert.match(res.stdout, new RegExp(`out prometheus-rw=\\S+: ${sent.value} sent, 0 dropped`));
    assert.match(res.stdout, /out json=\S+stream\.jsonl: \d+ sent, 0 dropped/);
  });
});

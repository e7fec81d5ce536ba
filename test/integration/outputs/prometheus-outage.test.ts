/**
 * The Prometheus a run sends to is stopped mid-run (once the mixed load starts) and stays down:
 * the run still goes through every phase to its verdict, its figures, thresholds and verdict are
 * the ones the json sink streamed independently of Prometheus, and the summary and results.json
 * say how many samples the prometheus-rw sink sent and dropped.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { loadResults } from "../../../harness/results/load.ts";
import { requires } from "../../prerequisites/requires.ts";
import { PrometheusServer } from "./prometheus-server.ts";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const CLI = join(ROOT, "harness", "cli", "main.ts");

interface StreamLine {
  type: string;
  kind?: string;
  metric?: string;
  value?: number;
  labels?: Record<string, string>;
  detail?: Record<string, unknown>;
  expression?: string;
  status?: string;
  verdict?: string;
}

function streamLines(file: string): StreamLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.endsWith("}"))
    .map((l) => JSON.parse(l) as StreamLine);
}

describe("prometheus-rw with Prometheus stopped mid-run", {
  ...requires("prometheus"),
  concurrency: false,
}, () => {
  let prometheus: PrometheusServer;

  before(async () => {
    prometheus = await PrometheusServer.start();
  });

  after(async () => {
    await prometheus?.stop();
  });

  it("the run's figures and verdict stand, the summary counts what was dropped", {
    timeout: 600_000,
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), "run-prometheus-outage-"));
    const stream = join(out, "stream.jsonl");
    const run = execa(
      process.execPath,
      [
        CLI,
        "run",
        "smoke",
        "--out",
        out,
        "--out",
        `prometheus-rw=${prometheus.writeUrl}`,
        "--out",
        `json=${stream}`,
        "--no-report",
        "--set",
        "cluster.knobs.startTimeoutSeconds=240",
      ],
      { cwd: ROOT, reject: false, timeout: 540_000, env: { CI: "1" } },
    );
    try {
      const mixedLoadStarted = () =>
        streamLines(stream).some(
          (l) => l.type === "event" && l.kind === "phase.start" && l.detail?.name === "mixed-load",
        );
      while (!mixedLoadStarted() && run.exitCode === null) await sleep(250);
      assert.equal(run.exitCode, null, "the run was still going when Prometheus was stopped");
      // The sink sends every 5 s: Prometheus holds some of the run before it goes.
      const held = async () => (await prometheus.query('count({__name__=~"patronus_bench_.+"})')).length > 0;
      for (let i = 0; i < 120 && !(await held()); i++) await sleep(250);
      assert.ok(await held(), "Prometheus had the run's series before it stopped");
      await prometheus.stop();
    } catch (err) {
      run.kill("SIGINT");
      throw err;
    }
    const res = await run;
    assert.ok(
      [0, 98, 99].includes(res.exitCode ?? -1),
      `exit ${res.exitCode}\n${res.stderr.slice(-3000)}\n${res.stdout.slice(-2000)}`,
    );
    const results = await loadResults(join(out, "results.json"));

    // Every phase ran, also those after the outage, and every object was accounted for.
    const phases = results.phases.map((p) => p.name);
    for (const p of ["mixed-load", "policies", "settled", "policies-applied"])
      assert.ok(phases.includes(p), `${p} ran`);
    assert.equal(results.coverage.observed, results.coverage.expected);

    // The verdict, thresholds and final figures are the ones streamed to the json sink.
    const lines = streamLines(stream);
    assert.equal(lines.find((l) => l.type === "verdict")?.verdict, results.verdict);
    assert.match(res.stdout, new RegExp(`scenario smoke — ${results.verdict.toUpperCase()} in`));
    const streamed = lines.filter((l) => l.type === "threshold");
    assert.deepEqual(
      streamed.map((l) => [l.metric, l.expression, l.status]),
      results.thresholds.map((t) => [t.metric, t.expression, t.status]),
    );
    for (const name of ["lost_updates", "iterations", "dropped_iterations", "ops_update"]) {
      const m = results.metrics[name];
      assert.ok(m?.type === "counter", name);
      const last = lines
        .filter((l) => l.type === "sample" && l.metric === name && Object.keys(l.labels ?? {}).length === 0)
        .at(-1);
      assert.equal(last?.value ?? 0, m.value, `${name}: the stream's last count is results.json's`);
    }

    // What the sink could not deliver is counted, in the summary and in results.json.
    const target = `{sink="prometheus-rw",target="${prometheus.writeUrl}"}`;
    const sent = results.metrics[`output_samples_sent${target}`];
    const dropped = results.metrics[`output_samples_dropped${target}`];
    assert.ok(sent?.type === "counter" && sent.value > 0, "samples were sent before the outage");
    assert.ok(dropped?.type === "counter" && dropped.value > 0, "samples were dropped after it");
    const line = res.stdout.split("\n").find((l) => l.startsWith("out prometheus-rw="));
    assert.ok(line, res.stdout.slice(-2000));
    assert.match(line, new RegExp(`: ${sent.value} sent, ${dropped.value} dropped \\(last error: .+\\)$`));
    assert.match(res.stdout, /out json=\S+: \d+ sent, 0 dropped/);
  });
});

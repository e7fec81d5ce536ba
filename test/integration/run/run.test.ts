/**
 * `patronus-bench run` end to end on the real embedded cluster, mesh simulator and operator:
 * the smoke scenario writes a valid results.json and exits 0 when its thresholds hold, a run
 * with an impossible threshold exits 99 (results still written, verdict fail), and a broken
 * scenario file exits 1 naming the file and the field, before anything is started.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { loadResults } from "../../../harness/results/load.ts";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const CLI = join(ROOT, "harness", "cli", "main.ts");

function run(args: string[], timeoutMs: number) {
  return execa(process.execPath, [CLI, "run", ...args], {
    cwd: ROOT,
    reject: false,
    timeout: timeoutMs,
    env: { CI: "1" },
  });
}

/** A scenario file of the test's own, in a fresh temp dir that also takes the run's output. */
function scenarioFile(prefix: string, source: string): { out: string; file: string } {
  const out = mkdtempSync(join(tmpdir(), prefix));
  const file = join(out, "scenario.ts");
  writeFileSync(file, source);
  return { out, file };
}

describe("patronus-bench run", { concurrency: false }, () => {
  it("runs smoke end to end: every object accounted for, metrics recorded, exit 0", {
    timeout: 240_000,
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), "run-smoke-"));
    // The scenario's own latency thresholds are figures about the operator; this test is about the
    // harness, so it keeps only the correctness gates.
    const res = await run(
      [
        "smoke",
        "--out",
        out,
        "--no-report",
        "--set",
        'thresholds={"lost_updates":["count==0"],"dropped_iterations":["count==0"]}',
      ],
      220_000,
    );
    assert.equal(
      res.exitCode,
      0,
      `exit ${res.exitCode}\n${res.stderr.slice(-3000)}\n${res.stdout.slice(-2000)}`,
    );
    const results = await loadResults(join(out, "results.json"));
    assert.equal(results.verdict, "pass");
    assert.equal(results.run.scenario, "smoke");
    assert.ok(results.coverage.expected >= 50 && results.coverage.observed === results.coverage.expected);
    const ready = results.metrics.site_ready_latency;
    assert.ok(
      ready?.type === "distribution" && ready.count >= 50,
      "site_ready_latency has every created site",
    );
    for (const name of ["update_observed_latency", "delete_latency", "policy_apply_latency"]) {
      assert.equal(results.metrics[name]?.type, "distribution", `${name} recorded`);
    }
    for (const name of [
      "operator_rss_bytes",
      "operator_cpu_cores",
      "mesh_cpu_cores",
      // The embedded control plane's processes, each measured on its own.
      "apiserver_cpu_cores",
      "etcd_cpu_cores",
      "controller_manager_cpu_cores",
      "workqueue_depth",
      "achieved_rate",
    ]) {
      const m = results.metrics[name];
      assert.ok(m?.type === "series" && m.points.length > 0, `${name} has points`);
    }
    assert.deepEqual(results.metrics.lost_updates, { type: "counter", unit: "count", value: 0 });
    // The capacity probe ran at both ends and was judged with the rest of the machine's state.
    const probeStart = results.metrics['capacity_probe_seconds{at="start"}'];
    const probeEnd = results.metrics['capacity_probe_seconds{at="end"}'];
    const probeRatio = results.metrics.capacity_probe_ratio;
    assert.ok(probeStart?.type === "gauge" && probeStart.value > 0, JSON.stringify(probeStart));
    assert.ok(probeEnd?.type === "gauge" && probeEnd.value > 0, JSON.stringify(probeEnd));
    assert.ok(
      // Relative: each figure is rounded to the millisecond, and a busy machine's large ratio magnifies that.
      probeRatio?.type === "gauge" &&
        Math.abs(probeRatio.value / (probeEnd.value / probeStart.value) - 1) < 0.02,
      JSON.stringify(probeRatio),
    );
    assert.ok(results.contamination, "the machine's state was judged");
    assert.match(res.stdout, /capacity_probe_seconds\s+start [\d.]+ s, end [\d.]+ s/);
    // lost_updates compared the Mesh's Paths and the mesh's tunnel program too, not only Sites.
    const checked = results.events.find((e) => e.kind === "lost-updates.checked")?.detail as
      | { objects: number; tunnels: number; paths: number; programmed: number | null }
      | undefined;
    assert.ok(checked && checked.objects >= 40, JSON.stringify(checked));
    assert.ok(checked.tunnels > 0, "tunnels expected");
    assert.equal(checked.paths, checked.tunnels, "one Path per tunnel");
    assert.equal(checked.programmed, checked.tunnels, "the mesh's program read and equal");
    assert.deepEqual(
      results.phases.map((p) => p.name),
      // The scenario's phases, then the quiet window every run ends with (steady-state cost).
      [
        "create-sites",
        "sites-ready",
        "paths-ready",
        "mixed-load",
        "policies",
        "settled",
        "policies-applied",
        "steady-state",
      ],
    );
    assert.ok(results.checkpoints.some((c) => c.objects === 50 && (c.operator_rss_bytes ?? 0) > 0));
    assert.match(res.stdout, /✓ lost_updates/);
    assert.match(res.stdout, /cpu by phase .*kcm = kube-controller-manager/);
    assert.match(
      res.stdout,
      /\n {2}mixed-load\s+\d+\.\d(\s+\d+\.\d\d){7}/,
      "a row per phase: seconds, 6 processes, total",
    );
  });

  it("exits 99 on a failed threshold and still writes the results", { timeout: 180_000 }, async () => {
    const { out, file } = scenarioFile(
      "run-fail-",
      `export default {
        name: "tiny", description: "five sites, an impossible gate (a count, so a busy machine cannot make it inconclusive)",
        mesh: { sites: 5, regions: 1, hubsPerRegion: 1 },
        phases: [{ kind: "create", count: 5 }, { kind: "wait-for", condition: "ready", timeout: "60s" }],
        thresholds: { coverage_ratio: ["value>1"] },
      };`,
    );
    const res = await run([file, "--out", join(out, "results"), "--no-report"], 170_000);
    assert.equal(res.exitCode, 99, `exit ${res.exitCode}\n${res.stderr.slice(-3000)}`);
    assert.match(res.stderr, /threshold\(s\) failed: coverage_ratio value>1/);
    const results = await loadResults(join(out, "results", "results.json"));
    assert.equal(results.verdict, "fail");
    const t = results.thresholds.find((x) => x.metric === "coverage_ratio");
    assert.equal(t?.passed, false);
    assert.equal(t?.value, 1, "every object observed, and still not more than all of them");
  });

  it("counts a deleted Site the mesh still holds, and its left-over Paths and tunnels, as lost updates", {
    timeout: 200_000,
  }, async () => {
    // The Patronus API is down from just before the delete to the end of the run: the operator can
    // neither deregister the Site nor reprogram the Mesh, so the Site keeps its finalizer and its
    // Paths stay — what lost_updates exists to catch (its own reads of the mesh pass the fault).
    const { out, file } = scenarioFile(
      "run-lost-",
      `export default {
        name: "lost", description: "a delete the operator cannot carry out",
        mesh: { sites: 6, regions: 1, hubsPerRegion: 1, telemetryTick: "1s" },
        phases: [
          { kind: "create", count: 6 },
          { kind: "wait-for", condition: "ready", timeout: "60s" },
          { kind: "wait-for", name: "paths", condition: "paths", object: "path", timeout: "60s" },
          { kind: "inject", name: "api-down", inject: { target: "mesh", action: "api", request: { kind: "unavailable", durationMs: 600000 } } },
          { kind: "load", name: "delete-one", executor: { type: "constant-arrival-rate", rate: 1, duration: "1s" }, mix: { delete: 1, update: 0 } },
        ],
        thresholds: { lost_updates: ["count==0"] },
      };`,
    );
    const res = await run([file, "--out", join(out, "results"), "--no-report"], 190_000);
    assert.equal(res.exitCode, 99, `exit ${res.exitCode}\n${res.stderr.slice(-3000)}`);
    const results = await loadResults(join(out, "results", "results.json"));
    const lost = results.metrics.lost_updates;
    assert.ok(lost?.type === "counter" && lost.value >= 2, `lost_updates ${JSON.stringify(lost)}`);
    const event = results.events.find((e) => e.kind === "lost-updates");
    const first = (event?.detail as { first?: string[] } | undefined)?.first ?? [];
    const text = first.join("\n");
    assert.match(text, /^site\/site-\d+: .*deleted but still registered in the mesh/m);
    assert.match(text, /^path\/\S+: Path left for a tunnel no live Site pair implies; mesh still programs/m);
  });

  it("--repeat 2 writes repeat-<i>/ results and a merged results.json", { timeout: 240_000 }, async () => {
    const { out, file } = scenarioFile(
      "run-repeat-",
      `export default {
        name: "tiny-pass", description: "five sites, correctness gate only",
        mesh: { sites: 5, regions: 1, hubsPerRegion: 1 },
        phases: [{ kind: "create", count: 5 }, { kind: "wait-for", condition: "ready", timeout: "60s" }],
        thresholds: { lost_updates: ["count==0"] },
      };`,
    );
    const res = await run([file, "--repeat", "2", "--out", join(out, "results"), "--no-report"], 230_000);
    assert.equal(res.exitCode, 0, `exit ${res.exitCode}\n${res.stderr.slice(-3000)}`);
    const first = await loadResults(join(out, "results", "repeat-1", "results.json"));
    const second = await loadResults(join(out, "results", "repeat-2", "results.json"));
    assert.deepEqual(first.run.repeat, { index: 1, of: 2 });
    assert.deepEqual(second.run.repeat, { index: 2, of: 2 });
    const merged = await loadResults(join(out, "results", "results.json"));
    assert.equal(merged.run.repeat, undefined);
    const ready = merged.metrics.site_ready_latency;
    assert.ok(ready?.type === "distribution" && ready.count === 10, "histograms of both repeats merged");
  });

  it("exits 1 on a broken scenario file, naming the file and the field", { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "run-broken-"));
    const file = join(dir, "broken.ts");
    writeFileSync(
      file,
      `export default { name: "broken", description: "x", phases: [{ kind: "create", count: -3 }] };`,
    );
    const res = await run([file, "--out", join(dir, "out")], 25_000);
    assert.equal(res.exitCode, 1);
    assert.match(res.stderr, new RegExp(`${file.replace(/[/.]/g, "\\$&")}.*phases\\[0\\]\\.count`));
  });

  it("exits 1 on an in-cluster runtime or --keep without a cluster that has nodes, before starting one", {
    timeout: 60_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "run-in-cluster-"));
    const inCluster = await run(["smoke", "--runtime", "cluster", "--out", join(dir, "a")], 25_000);
    assert.equal(inCluster.exitCode, 1);
    assert.match(
      inCluster.stderr,
      /operator\.runtime: runtime "cluster" deploys pods, and the embedded cluster has no nodes/,
    );
    const keep = await run(["smoke", "--keep", "--out", join(dir, "b")], 25_000);
    assert.equal(keep.exitCode, 1);
    assert.match(keep.stderr, /--keep leaves a kind or kubeconfig cluster in place.* fix: drop --keep/);
    assert.doesNotMatch(`${inCluster.stderr}${keep.stderr}`, /starting embedded cluster/);
  });
});

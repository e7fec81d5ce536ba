/**
 * A leader frozen with SIGSTOP during churn, on the real embedded cluster with three reference
 * operator replicas, through `patronus-bench run`: the fenced operator (its default) makes no write
 * without the Lease and loses nothing; the same run against the operator with fencing off
 * (`--leader-elect-fencing=false`, the unfenced behaviour) reports stale writes, so the
 * measurement can fail. Short election timings keep the run short: the leader is frozen longer
 * than a lease duration, so a standby takes over while it is stopped.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { loadResults } from "../../../harness/results/load.ts";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const CLI = join(ROOT, "harness", "cli", "main.ts");

function scenario(name: string, extraArgs: string[]): string {
  return `export default ${JSON.stringify({
    name,
    description: "3 replicas; the leader frozen for longer than a lease during churn",
    mesh: { sites: 40, regions: 2, hubsPerRegion: 1, seed: 7 },
    operator: {
      replicas: 3,
      concurrency: 4,
      qps: 200,
      burst: 400,
      workqueueQps: 200,
      workqueueBurst: 500,
      leaderElection: { leaseDuration: "6s", renewDeadline: "4s", retryPeriod: "1s" },
      extraArgs,
    },
    phases: [
      { kind: "create", name: "sites", object: "site", count: 30, maxInFlight: 20 },
      { kind: "wait-for", name: "sites-ready", condition: "ready", object: "site", timeout: "90s" },
      {
        kind: "load",
        name: "churn",
        executor: { type: "constant-arrival-rate", rate: 10, duration: "24s" },
        mix: { create: 1, update: 3, delete: 1 },
        maxInFlight: 50,
        during: [{ after: "4s", inject: { target: "operator", action: "pause-leader", duration: "12s" } }],
      },
      { kind: "wait-for", name: "settled", condition: "ready", object: "site", timeout: "90s" },
      { kind: "wait-for", name: "deletes-done", condition: "gone", object: "site", timeout: "90s" },
    ],
    thresholds: { stale_writes: ["count==0"], lost_updates: ["count==0"] },
  })};\n`;
}

async function run(name: string, extraArgs: string[]) {
  const out = mkdtempSync(join(tmpdir(), `${name}-`));
  const file = join(out, "scenario.ts");
  writeFileSync(file, scenario(name, extraArgs));
  const res = await execa(process.execPath, [CLI, "run", file, "--out", join(out, "run"), "--no-report"], {
    cwd: ROOT,
    reject: false,
    timeout: 400_000,
    env: { CI: "1" },
  });
  try {
    const results = await loadResults(join(out, "run", "results.json"));
    return { res, results };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function counter(results: Awaited<ReturnType<typeof loadResults>>, name: string): number | undefined {
  const m = results.metrics[name];
  return m?.type === "counter" ? m.value : undefined;
}

describe("a leader paused with SIGSTOP during churn", { concurrency: false }, () => {
  it("the fenced operator makes no write without the Lease and loses no update", {
    timeout: 420_000,
  }, async (t) => {
    const { res, results } = await run("pause-fenced", []);
    t.diagnostic(res.stdout.split("\n").slice(-25).join("\n"));
    const events = results.events.filter(
      (e) => e.kind.startsWith("fault.") || e.kind.startsWith("split-brain"),
    );
    t.diagnostic(JSON.stringify(events));
    assert.ok(
      results.events.some((e) => e.kind === "fault.resume"),
      "the leader was paused and resumed",
    );
    assert.equal(counter(results, "stale_writes"), 0, "writes without the Lease");
    assert.equal(counter(results, "lost_updates"), 0, "lost updates");
    assert.equal(res.exitCode, 0, res.stderr);
  });

  it("the same operator without fencing is caught writing without the Lease", {
    timeout: 420_000,
  }, async (t) => {
    const { res, results } = await run("pause-unfenced", ["--leader-elect-fencing=false"]);
    const stale = results.events.filter((e) => e.kind === "split-brain.stale-write");
    t.diagnostic(JSON.stringify(stale.slice(0, 5)));
    assert.ok((counter(results, "stale_writes") ?? 0) > 0, "stale writes were seen");
    assert.equal(res.exitCode, 99, "a failed threshold");
  });
});

/**
 * `patronus-bench profile smoke --tool flame`, end to end as a user runs it: the real embedded
 * cluster, mesh simulator and operator; the leader profiled over the load window only. The
 * sampled frames must include the operator's reconcile functions, the module grouping must
 * account for ≥ 90 % of samples, the artifacts must be where results.json says, and no process
 * may be left behind.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { analyseCpuProfile } from "../../../harness/profile/cpu/analyse.ts";
import { readCpuProfile } from "../../../harness/profile/cpu/cpuprofile.ts";
import { loadResults } from "../../../harness/results/load.ts";
import type { Results } from "../../../harness/results/schema.ts";
import { type CliRun, leftovers, runCli } from "./processes.ts";

describe("patronus-bench profile smoke", { timeout: 420_000 }, () => {
  let dir: string;
  let run: CliRun;
  let results: Results;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "profile-smoke-"));
    run = await runCli(["profile", "smoke", "--tool", "flame", "--out", dir], 400_000);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    results = await loadResults(join(dir, "results.json"));
  });

  after(async () => {
    if (!process.env.KEEP_RUN_DIR) await rm(dir, { recursive: true, force: true });
  });

  it("profiles the leader over the default window (the load phase), not start-up", async () => {
    const p = results.profile as Record<string, unknown> & {
      window: { from: string; to: string; startedAt: number; finishedAt: number };
    };
    assert.equal(p.tool, "flame");
    assert.equal(p.window.from, "mixed-load");
    assert.equal(p.window.to, "mixed-load");
    const load = results.phases.find((ph) => ph.name === "mixed-load");
    assert.ok(load && typeof load.startedAt === "number" && typeof load.finishedAt === "number");
    assert.ok(p.window.startedAt <= (load.startedAt as number) + 1, "window opened with the phase");
    assert.ok(p.window.finishedAt >= (load.finishedAt as number), "window closed after the phase");
    const kinds = results.events.map((e) => e.kind);
    assert.ok(kinds.indexOf("profile.start") < kinds.indexOf("profile.stop"));
    // The inspector was opened once, after the operator had started its controllers.
    const log = await readFile(join(dir, "operator-0-0.log"), "utf8");
    const opened = log.indexOf("Debugger listening on ws://127.0.0.1:");
    assert.ok(opened > log.indexOf('"msg":"started controllers"'), "inspector opened after start-up");
    assert.equal(log.split("Debugger listening on").length, 2);
  });

  it("finds the reconcile functions among the sampled frames, ≥ 90 % of samples grouped", async () => {
    const profile = await readCpuProfile(join(dir, "operator-leader.cpuprofile"));
    const a = analyseCpuProfile(profile, 10_000);
    assert.ok(a.samples > 100, `${a.samples} samples`);
    assert.ok(a.accountedPercent >= 90, `grouped ${a.accountedPercent} %`);
    const reconcilers = a.topTotal.filter(
      (f) => /reconcile/i.test(f.functionName) && f.url.startsWith("operator/controllers/"),
    );
    assert.ok(reconcilers.length > 0, "no reconcile frame sampled");
    for (const f of reconcilers) assert.equal(f.module, "controllers");
    const p = results.profile as { accountedPercent: number; samples: number };
    assert.equal(p.samples, a.samples);
    assert.equal(p.accountedPercent, a.accountedPercent);
  });

  it("writes profile.hotPaths for the report, the flame graph and the report chart", async () => {
    const hot = results.profile?.hotPaths ?? [];
    assert.ok(hot.length >= 5);
    for (const h of hot) assert.ok(typeof h.selfPercent === "number" && typeof h.module === "string");
    const html = await readFile(join(dir, "operator-leader-flame.html"), "utf8");
    assert.match(html, /const DATA = \{/);
    const index = await readFile(join(dir, "index.html"), "utf8");
    assert.match(index, /hot functions/i);
    assert.match(run.stdout, /top functions by self time:/);
  });

  it("leaves no process behind", async () => {
    assert.ok(run.pids.size >= 3, `saw ${run.pids.size} child processes`);
    assert.deepEqual(await leftovers(run.pids), []);
  });
});

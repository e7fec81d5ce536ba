/**
 * The heap and doctor tools end to end through the CLI on a small real run: a sampling heap
 * profile with allocation sites and heap/RSS series with a growth verdict; doctor saying plainly
 * that clinic doctor does not run on this Node and giving the built-in series instead.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { analyseHeapProfile, parseHeapProfile } from "../../../harness/profile/heap/analyse.ts";
import { loadResults } from "../../../harness/results/load.ts";
import { leftovers, REPO, runCli } from "./processes.ts";

const SCENARIO = join(REPO, "test", "integration", "profile", "fixtures", "small-load.ts");

describe("patronus-bench profile --tool heap|doctor", { timeout: 400_000 }, () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "profile-tools-"));
  });
  after(async () => {
    if (!process.env.KEEP_RUN_DIR) await rm(tmp, { recursive: true, force: true });
  });

  it("heap: allocation sites over the window, heap-used and RSS series, growth verdict", async () => {
    const dir = join(tmp, "heap");
    const run = await runCli(["profile", SCENARIO, "--tool", "heap", "--out", dir], 180_000);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const results = await loadResults(join(dir, "results.json"));
    const p = results.profile as Record<string, unknown> & {
      allocationSites: { function: string; bytes: number }[];
      series: { heap_used_bytes: [number, number][]; rss_bytes: [number, number][] };
      growth: { heapUsed: { growing: boolean } | null };
      growing: boolean;
    };
    assert.equal(p.tool, "heap");
    assert.ok(p.allocationSites.length > 0);
    assert.ok(p.series.heap_used_bytes.length >= 4, `${p.series.heap_used_bytes.length} heap points`);
    assert.ok(p.series.rss_bytes.length >= 4);
    assert.equal(typeof p.growing, "boolean");
    assert.notEqual(p.growth.heapUsed, null);
    const heap = parseHeapProfile(
      JSON.parse(await readFile(join(dir, "operator-leader.heapprofile"), "utf8")),
      "file",
    );
    assert.ok(analyseHeapProfile(heap).sampledBytes > 0);
    assert.match(run.stdout, /heap used: /);
    assert.deepEqual(await leftovers(run.pids), []);
  });

  it("doctor: says clinic doctor does not run here and falls back to built-in series, no crash", async () => {
    const dir = join(tmp, "doctor");
    const run = await runCli(["profile", SCENARIO, "--tool", "doctor", "--out", dir], 180_000);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(
      run.stdout,
      new RegExp(`clinic doctor does not work on Node ${process.versions.node.replace(/\./g, "\\.")}`),
    );
    const results = await loadResults(join(dir, "results.json"));
    const p = results.profile as Record<string, unknown> & {
      clinic: { usable: boolean };
      series: Record<string, [number, number][]>;
      findings: string[];
    };
    assert.equal(p.clinic.usable, false);
    // Gauges come from every sample; rates need two consecutive successful scrapes of the
    // operator's /metrics, which a busy operator on a loaded machine sometimes misses.
    for (const name of ["event_loop_p99_ms", "rss_bytes"])
      assert.ok((p.series[name]?.length ?? 0) >= 3, `${name}: ${p.series[name]?.length ?? 0} points`);
    for (const name of ["cpu_cores", "gc_seconds_per_second"])
      assert.ok((p.series[name]?.length ?? 0) >= 2, `${name}: ${p.series[name]?.length ?? 0} points`);
    assert.ok(Array.isArray(p.findings));
    assert.deepEqual(await leftovers(run.pids), []);
  });
});

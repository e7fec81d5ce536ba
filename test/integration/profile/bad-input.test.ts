/**
 * `patronus-bench profile` with bad input: an unknown tool, a window that does not exist and an
 * inspector tool on an operator not started by Node are rejected before anything starts; an operator leader that dies inside the window fails the run
 * with one line naming it. In every case no process the CLI started is left running.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { errorLines, leftovers, REPO, runCli } from "./processes.ts";

describe("patronus-bench profile: bad input", { timeout: 300_000 }, () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "profile-bad-"));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("rejects an unknown tool in one line, before starting anything", async () => {
    const run = await runCli(["profile", "smoke", "--tool", "perf", "--out", join(tmp, "tool")], 30_000);
    assert.equal(run.code, 1);
    assert.deepEqual(errorLines(run.stderr), [
      'error: --tool: unknown profiling tool "perf" — fix: use one of cpu, heap, flame, doctor',
    ]);
    assert.equal(run.pids.size, 0, `started ${[...run.pids].join(", ")}`);
  });

  it("rejects a window phase the scenario does not have, naming its phases", async () => {
    const run = await runCli(["profile", "smoke", "--window", "warp", "--out", join(tmp, "window")], 30_000);
    assert.equal(run.code, 1);
    const lines = errorLines(run.stderr);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0] ?? "",
      /^error: --window: scenario smoke has no phase "warp" — fix: use one of create-sites, .*mixed-load/,
    );
    assert.equal(run.pids.size, 0);
  });

  it("refuses an inspector tool on an operator not started by Node, before building or starting anything", async () => {
    const run = await runCli(
      ["profile", "smoke", "--operator", "patronus-rs", "--tool", "cpu", "--out", join(tmp, "not-node")],
      30_000,
    );
    assert.equal(run.code, 1);
    const lines = errorLines(run.stderr);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0] ?? "",
      /^error: --tool cpu attaches to a Node\.js process's V8 inspector; the operator patronus-rs is not started by Node .* fix: use --tool doctor/,
    );
    assert.equal(run.pids.size, 0, `started ${[...run.pids].join(", ")}`);
  });

  it("refuses an in-cluster operator, whose inspector it cannot reach, before starting anything", async () => {
    const set = ["cluster.provider=kind", "operator.runtime=cluster", "mesh.runtime=cluster"];
    const run = await runCli(
      ["profile", "smoke", ...set.flatMap((s) => ["--set", s]), "--out", join(tmp, "in-cluster")],
      30_000,
    );
    assert.equal(run.code, 1);
    const lines = errorLines(run.stderr);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0] ?? "",
      /^error: profile opens the inspector of an operator process .* fix: profile with operator\.runtime "process"/,
    );
    assert.equal(run.pids.size, 0);
  });

  it("fails with one line naming the leader when it exits inside the window, leaving no process", async () => {
    const scenario = join(REPO, "test", "integration", "profile", "fixtures", "operator-dies.ts");
    const run = await runCli(
      ["profile", scenario, "--window", "doomed", "--out", join(tmp, "dies")],
      240_000,
    );
    assert.equal(run.code, 1, run.stderr);
    const lines = errorLines(run.stderr);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0] ?? "",
      /^error: operator leader operator-0-0 \(pid \d+\) exited during the profiling window \(doomed\.\.doomed\); no profile was taken — fix: see .*operator-0-0\.log$/,
    );
    assert.ok(run.pids.size >= 3, `saw only ${run.pids.size} child processes`);
    assert.deepEqual(await leftovers(run.pids), []);
  });
});

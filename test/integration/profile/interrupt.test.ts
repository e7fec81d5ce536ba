/**
 * Ctrl-C during `patronus-bench profile`, while the leader is being profiled: the run ends the
 * careful way, as `run` does — exit 130, the reason said, no results.json (it would look
 * complete), the profile of the window until then named as such, and no process left behind.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { it } from "node:test";
import { leftovers, runCli } from "./processes.ts";

it("Ctrl-C while profiling stops the run cleanly: exit 130, no results, nothing left running", {
  timeout: 300_000,
}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "profile-interrupt-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const run = await runCli(
    ["profile", "smoke", "--tool", "cpu", "--out", dir],
    280_000,
    /profiling .+ \(pid \d+\) with cpu from phase/,
  );
  assert.equal(run.code, 130, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stderr, /SIGINT: stopping the profile run — ending its phase/);
  assert.match(run.stderr, /interrupted by SIGINT: the run stopped and cleaned up; no results were written/);
  const files = await readdir(dir);
  assert.ok(!files.includes("results.json"), `no results.json: ${files.join(", ")}`);
  const partial = /the profile of the window until the interrupt: (\S+\.cpuprofile)/.exec(run.stderr)?.[1];
  assert.ok(
    partial && files.includes(basename(partial)),
    `the partial profile named and there: ${files.join(", ")}`,
  );
  assert.ok(run.pids.size >= 3, `the run's processes were seen (${run.pids.size})`);
  assert.deepEqual(await leftovers(run.pids), [], "every process the run started is gone");
});

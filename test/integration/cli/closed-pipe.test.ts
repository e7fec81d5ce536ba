/**
 * Output piped into a reader that has gone (`patronus-bench list | head -1`) ends the command
 * quietly: the exit code it would have had, and no EPIPE stack trace on stderr.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { it } from "node:test";
import { REPO_ROOT } from "../../../harness/paths.ts";

const CLI = join(REPO_ROOT, "harness/cli/main.ts");

function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  // The reader goes away before the CLI writes: its first write fails with EPIPE.
  child.stdout.destroy();
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

for (const args of [["run", "--help"], ["list"], ["--help"]]) {
  it(`${args.join(" ")} into a closed pipe exits 0 without a stack trace`, async () => {
    const r = await withClosedStdout(args);
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
  });
}

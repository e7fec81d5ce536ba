/**
 * Runs smoke on the upstream operator through the CLI, as a user would, and holds it to a verdict:
 * 0 or 99, or 98 when a busy machine made its timings inconclusive — never a harness error.
 * Shared by the process, container and kind tests; each adds its own flags and checks.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { execa } from "execa";
import { REPO_ROOT } from "../../../harness/paths.ts";
import { upstreamOperatorSource } from "../../prerequisites/prerequisites.ts";

const CLI = join(REPO_ROOT, "harness", "cli", "main.ts");

export async function runPatronusRsSmoke(
  out: string,
  extraArgs: readonly string[],
  options: { timeout: number; env?: Record<string, string> },
) {
  const child = execa(
    process.execPath,
    [
      CLI,
      "run",
      "smoke",
      "--operator",
      "patronus-rs",
      "--operator-source",
      upstreamOperatorSource(),
      ...extraArgs,
      "--out",
      out,
    ],
    { cwd: REPO_ROOT, reject: false, all: true, timeout: options.timeout, env: { CI: "1", ...options.env } },
  );
  const res = await child;
  const said = `exit ${res.exitCode}\n${(res.all ?? "").slice(-5000)}`;
  assert.ok(res.exitCode === 0 || res.exitCode === 99 || res.exitCode === 98, said);
  // pid: the harness process, which labels the containers it starts as theirs.
  return { res, said, pid: child.pid };
}

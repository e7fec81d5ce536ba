/**
 * What every kind test needs first: a Docker engine, the kind binary, the node image built from
 * source — and no cluster left by a test run that was killed before its `after` (a leftover holds
 * cores and memory the next run measures against, and may hold host ports).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { execa } from "execa";
import { LOCAL_NODE_IMAGE, NODE_IMAGE_BUILD } from "../../../harness/cluster/kind/kind-cli.ts";
import { ensureDockerEngine } from "../../../harness/container/docker-engine.ts";
import { REPO_ROOT } from "../../../harness/paths.ts";
import type { ProcessSet } from "../../../harness/process/supervisor.ts";

/** Test clusters are named pb-kind-[prs-]<pid of the test process>. */
const TEST_CLUSTER = /^pb-kind-(?:prs-)?(\d+)$/;

/** Returns the kind binary's path. */
export async function prepareKindTests(engine: ProcessSet, logDir: string): Promise<string> {
  await ensureDockerEngine({ processes: engine, logDir });
  const install = await execa(join(REPO_ROOT, "ci", "kind", "install-kind.sh"), { all: true, reject: false });
  assert.equal(install.exitCode, 0, `install-kind.sh: ${install.all}`);
  const kind = install.stdout.trim().split("\n").at(-1) ?? "";
  await deleteLeftoverTestClusters(kind);
  const build = await execa(join(REPO_ROOT, NODE_IMAGE_BUILD), {
    all: true,
    reject: false,
    timeout: 2_700_000,
  });
  assert.equal(build.exitCode, 0, `${NODE_IMAGE_BUILD}:\n${(build.all ?? "").slice(-3000)}`);
  assert.equal(build.stdout.trim().split("\n").at(-1), LOCAL_NODE_IMAGE);
  return kind;
}

async function deleteLeftoverTestClusters(kind: string): Promise<void> {
  const listed = await execa(kind, ["get", "clusters"], { reject: false });
  for (const name of listed.stdout.split("\n")) {
    const pid = TEST_CLUSTER.exec(name.trim())?.[1];
    if (!pid || isAlive(Number(pid))) continue;
    process.stderr.write(`kind tests: deleting ${name}, left by test process ${pid} that no longer runs\n`);
    await execa(kind, ["delete", "cluster", "--name", name], { reject: false });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

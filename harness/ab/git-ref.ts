/**
 * `git:<rev>`: this repository's reference operator as it was at a git revision. The revision is
 * checked out once per commit with `git worktree add` into the cache (a detached worktree; the
 * working copy in use is never touched), shares this checkout's node_modules by a symlink when
 * its package-lock.json is the same (else installs its own: a dependency change is part of what
 * is measured), and is started from there — the harness doing the measuring stays the current one.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, realpath, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { cacheRoot } from "../cluster/embedded/binaries.ts";
import { HarnessError } from "../errors.ts";
import type { LoadedOperator } from "../operators/definition.ts";
import { loadOperatorDefinition } from "../operators/load.ts";
import { REPO_ROOT } from "../paths.ts";

const run = promisify(execFile);
const GIT_TIMEOUT_MS = 120_000;
const NPM_TIMEOUT_MS = 900_000;

export function abWorktreesDir(): string {
  return join(cacheRoot(), "ab-worktrees");
}

async function git(args: string[]): Promise<string> {
  const { stdout } = await run("git", ["-C", REPO_ROOT, ...args], { timeout: GIT_TIMEOUT_MS });
  return stdout.trim();
}

/** The full commit a revision names, or a one-line error naming the revision. */
export async function resolveRevision(rev: string): Promise<string> {
  try {
    return await git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  } catch {
    throw new HarnessError(`git:${rev} names no commit of this repository (${REPO_ROOT})`, {
      fix: "pass a branch, tag or commit that `git rev-parse` knows, e.g. git:main or git:HEAD~1",
    });
  }
}

/** The revision's checkout in the cache, created on first use. */
export async function checkoutRevision(commit: string, log: (line: string) => void): Promise<string> {
  const dir = join(abWorktreesDir(), commit);
  if (!existsSync(join(dir, "operator", "main.ts"))) {
    await mkdir(abWorktreesDir(), { recursive: true });
    log(`ab: checking out ${commit.slice(0, 12)} into ${dir}`);
    // A stale registration (its directory removed) would refuse the add.
    await git(["worktree", "prune"]);
    try {
      await git(["worktree", "add", "--detach", "--force", dir, commit]);
    } catch (err) {
      throw new HarnessError(
        `git worktree add ${dir} ${commit.slice(0, 12)} failed: ${(err as Error).message}`,
        {
          fix: `remove ${dir} and \`git worktree prune\`, then retry`,
        },
      );
    }
    if (!existsSync(join(dir, "operator", "main.ts")))
      throw new HarnessError(`revision ${commit.slice(0, 12)} has no operator/main.ts`, {
        fix: "pick a revision that has the reference operator in operator/",
      });
  }
  const modules = join(dir, "node_modules");
  // A link left by a checkout since removed dangles: existsSync says no, and a new link would clash.
  if (!existsSync(modules)) await rm(modules, { force: true });
  if (!existsSync(modules)) {
    if (await sameFile(join(dir, "package-lock.json"), join(REPO_ROOT, "package-lock.json")))
      await symlink(await realpath(join(REPO_ROOT, "node_modules")), modules, "dir");
    else await installDependencies(dir, commit, log);
  }
  return dir;
}

async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([readFile(a).catch(() => undefined), readFile(b).catch(() => undefined)]);
  return x !== undefined && y !== undefined && x.equals(y);
}

async function installDependencies(dir: string, commit: string, log: (line: string) => void): Promise<void> {
  log(`ab: ${commit.slice(0, 12)} has other dependencies (package-lock.json): npm ci in ${dir}`);
  try {
    await run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, timeout: NPM_TIMEOUT_MS });
  } catch (err) {
    await rm(join(dir, "node_modules"), { recursive: true, force: true });
    throw new HarnessError(`npm ci for ${commit.slice(0, 12)} in ${dir} failed: ${(err as Error).message}`, {
      fix: "check the revision installs (npm ci) and the npm registry is reachable",
    });
  }
}

/** The reference operator's definition, started from the revision's checkout instead of this one. */
export async function referenceAtRevision(rev: string, log: (line: string) => void): Promise<LoadedOperator> {
  const commit = await resolveRevision(rev);
  const dir = await checkoutRevision(commit, log);
  const reference = await loadOperatorDefinition("reference");
  const def = reference.definition;
  const fromCheckout = (part: string) => part.replaceAll("{repoRoot}", dir);
  return {
    ...reference,
    definition: {
      ...def,
      version: `${def.version}+git.${commit.slice(0, 12)}`,
      start: { ...def.start, command: def.start.command.map(fromCheckout) },
    },
    // Recorded in results.json's run.operator.source: where it ran from and which commit.
    artifact: {
      path: join(dir, "operator", "main.ts"),
      dir,
      sourceDir: dir,
      digest: `git:${commit}`,
      extra: {},
    },
  };
}

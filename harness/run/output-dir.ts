/**
 * Where a run's files go: --out DIR, or reports/<scenario>-<UTC timestamp>/ with reports/latest
 * pointing at the newest run (a relative symlink, replaced atomically).
 */
import { mkdir, rename, symlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

export function timestamp(d = new Date()): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")
    .replace("T", "-");
}

export function defaultOutDir(scenario: string, root = "reports", at = new Date()): string {
  return resolve(root, `${scenario}-${timestamp(at)}`);
}

export async function prepareOutDir(dir: string): Promise<string> {
  const abs = resolve(dir);
  await mkdir(abs, { recursive: true });
  return abs;
}

/** Points <parent>/latest at `dir` (only for runs under the default reports/ layout). */
export async function linkLatest(dir: string): Promise<void> {
  const parent = dirname(dir);
  const tmp = join(parent, `.latest-${process.pid}`);
  await symlink(basename(dir), tmp);
  await rename(tmp, join(parent, "latest"));
}

/**
 * Where a run's files go: --out DIR, or reports/<scenario>-<UTC timestamp>/ with reports/latest
 * pointing at the newest run (a relative symlink, replaced atomically).
 *
 * An output directory is checked before anything starts (checkOutDir): it must be a directory
 * or creatable as one, writable, and on a filesystem that holds files. Node's recursive mkdir
 * reads ENOENT as "the parent is missing", creates the parent (EEXIST), retries and loops
 * forever where a pseudo-filesystem answers ENOENT for a child of an existing directory
 * (mkdir /proc/x) — so directories here are made one level at a time, never recursively.
 */
import { constants, type Stats } from "node:fs";
import { access, lstat, mkdir, realpath, rename, stat, statfs, symlink } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { HarnessError } from "../errors.ts";

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

/** Kernel filesystems that expose state, not storage (statfs f_type, linux/magic.h). */
const PSEUDO_FS = new Map<number, string>([
  [0x9fa0, "proc"],
  [0x62656572, "sysfs"],
  [0x27e0eb, "cgroup"],
  [0x63677270, "cgroup2"],
  [0x64626720, "debugfs"],
  [0x74726163, "tracefs"],
  [0x73636673, "securityfs"],
  [0x62656570, "configfs"],
  [0xcafe4a11, "bpf"],
  [0x1cd1, "devpts"],
  [0x6165676c, "pstore"],
  [0xde5e81e4, "efivarfs"],
  [0x42494e4d, "binfmt_misc"],
]);

/** Device and kernel trees by path; /dev is a tmpfs by type, so the path is what tells. */
const PSEUDO_TREES = new Map([
  ["/proc", "proc"],
  ["/sys", "sysfs"],
  ["/dev", "devtmpfs"],
]);
const STORAGE_UNDER_PSEUDO = ["/dev/shm"];

const within = (path: string, tree: string) => path === tree || path.startsWith(tree + sep);

function refuse(flag: string, abs: string, problem: string, fix: string): HarnessError {
  return new HarnessError(`${flag} ${abs}: ${problem}`, { fix });
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    // ENOTDIR: a component of the path is a file; the walk up names which.
    if (code === "ENOTDIR") return undefined;
    if (code === "EACCES" || code === "EPERM") {
      throw new HarnessError(`${path} cannot be reached: permission denied on the way to it`, { cause: err });
    }
    throw err;
  }
}

/**
 * Checks that `dir` can be the output directory and creates nothing. Throws a HarnessError
 * naming `flag`, the path and the fix; returns the absolute path.
 */
export async function checkOutDir(dir: string, flag = "--out"): Promise<string> {
  const abs = resolve(dir);
  const fixDir = `give ${flag} a directory (new or existing) on a writable disk, e.g. ${flag} reports/my-run`;
  // The nearest part of the path that exists decides: the directory itself or the one to create it in.
  let existing = abs;
  let found: Stats | undefined;
  try {
    found = await statOrUndefined(existing);
    while (!found) {
      if (await exists(existing)) {
        throw new HarnessError(`${existing} is a symbolic link to something that does not exist`);
      }
      const parent = dirname(existing);
      if (parent === existing) break;
      existing = parent;
      found = await statOrUndefined(existing);
    }
  } catch (err) {
    if (err instanceof HarnessError) throw refuse(flag, abs, err.message, fixDir);
    throw err;
  }
  if (!found) throw refuse(flag, abs, "no part of this path exists", fixDir);
  const real = await realpath(existing);
  const tree = [...PSEUDO_TREES].find(
    ([t]) => within(real, t) && !STORAGE_UNDER_PSEUDO.some((s) => within(real, s)),
  );
  const fsType = PSEUDO_FS.get((await statfs(real)).type) ?? tree?.[1];
  if (fsType) {
    throw refuse(flag, abs, `${real} is a kernel pseudo-filesystem (${fsType}) that holds no files`, fixDir);
  }
  if (!found.isDirectory()) {
    throw existing === abs
      ? refuse(flag, abs, "is an existing file, not a directory", `remove it, or ${fixDir}`)
      : refuse(flag, abs, `${existing} is a file, so no directory can be created under it`, fixDir);
  }
  try {
    await access(real, constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "EROFS" ? "is on a read-only filesystem" : "is not writable by this user";
    throw refuse(flag, abs, existing === abs ? why : `cannot be created: ${existing} ${why}`, fixDir);
  }
  return abs;
}

/**
 * Checks that `file` can be written: not a directory, in a directory checkOutDir accepts (created
 * by prepareOutFile). Returns the absolute path.
 */
export async function checkOutFile(file: string, flag = "--out"): Promise<string> {
  const abs = resolve(file);
  if ((await statOrUndefined(abs).catch(() => undefined))?.isDirectory()) {
    throw refuse(flag, abs, "is a directory", `name a file, e.g. ${flag} ${join(abs, basename(abs))}.yaml`);
  }
  const dir = dirname(abs);
  try {
    await checkOutDir(dir, flag);
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    const problem = err.message.slice(`${flag} ${dir}: `.length);
    throw refuse(
      flag,
      abs,
      problem.startsWith("is ") ? `${dir} ${problem}` : problem,
      `give ${flag} a file in a writable directory on a disk`,
    );
  }
  return abs;
}

/** checkOutFile, then the file's directory created as prepareOutDir does. */
export async function prepareOutFile(file: string, flag = "--out"): Promise<string> {
  const abs = await checkOutFile(file, flag);
  await prepareOutDir(dirname(abs), flag);
  return abs;
}

/** Checks `dir` (see checkOutDir) and creates it and its missing parents, one level at a time. */
export async function prepareOutDir(dir: string, flag = "--out"): Promise<string> {
  const abs = await checkOutDir(dir, flag);
  const missing: string[] = [];
  for (let p = abs; !(await exists(p)); p = dirname(p)) missing.unshift(p);
  for (const p of missing) {
    try {
      await mkdir(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
        throw refuse(flag, abs, `cannot create ${p}: ${(err as Error).message}`, `check ${dirname(p)}`);
      }
    }
  }
  return abs;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Points <parent>/latest at `dir` (only for runs under the default reports/ layout). */
export async function linkLatest(dir: string): Promise<void> {
  const parent = dirname(dir);
  const tmp = join(parent, `.latest-${process.pid}`);
  await symlink(basename(dir), tmp);
  await rename(tmp, join(parent, "latest"));
}

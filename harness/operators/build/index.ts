/**
 * Builds an operator from a source directory, or finds the build in the cache: artifacts are
 * kept in <cache>/operators/<name>/<digest>/ (digest of the definition's inputs), so the same
 * sources build once. The build runs in a writable copy of the source (the source may be
 * read-only), one process per digest at a time.
 */
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { chmod, lstat, readdir, writeFile } from "node:fs/promises";
import { basename, delimiter, isAbsolute, join } from "node:path";
import { cacheRoot } from "../../cluster/embedded/binaries.ts";
import { HarnessError } from "../../errors.ts";
import type { BuildSpec, LoadedOperator } from "../definition.ts";
import { fillPlaceholders } from "../placeholders.ts";
import { runBuildCommand } from "./command.ts";
import { inputDigest, inputFiles } from "./digest.ts";
import { withLock } from "./lock.ts";

export type BuiltArtifact = NonNullable<LoadedOperator["artifact"]>;

/** `{cacheDir}` of build definitions: shared by every operator and digest. */
export function operatorCacheDir(): string {
  return join(cacheRoot(), "operators");
}

export interface BuildOptions {
  log: (line: string) => void;
  /** Default: operatorCacheDir(). */
  cacheDir?: string;
  progressEveryMs?: number;
}

/** What the cache keeps beside the artifacts; written last, so its presence means complete. */
interface BuildRecord {
  name: string;
  digest: string;
  sourceDir: string;
  inputs: number;
  artifact: string;
  extra: string[];
  builtAt: string;
  seconds: number;
}
const RECORD = "build.json";

export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (command.includes("/")) return isExecutable(command);
  return (env.PATH ?? "").split(delimiter).some((dir) => dir !== "" && isExecutable(join(dir, command)));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function artifactFrom(dir: string, record: BuildRecord): BuiltArtifact {
  return {
    path: join(dir, record.artifact),
    dir,
    sourceDir: record.sourceDir,
    digest: record.digest,
    extra: Object.fromEntries(record.extra.map((f) => [f, join(dir, f)])),
  };
}

function cached(dir: string): BuildRecord | undefined {
  const file = join(dir, RECORD);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as BuildRecord) : undefined;
}

export async function buildOperator(
  name: string,
  spec: BuildSpec,
  sourceDir: string,
  options: BuildOptions,
): Promise<BuiltArtifact> {
  const cacheDir = options.cacheDir ?? operatorCacheDir();
  const files = inputFiles(sourceDir, spec.inputs);
  if (files.length === 0)
    throw new HarnessError(
      `${sourceDir} holds none of the build inputs of operator ${name} (${spec.inputs.join(", ")})`,
      { fix: `point --operator-source at the source directory of ${name}` },
    );
  const digest = inputDigest(sourceDir, files);
  const short = digest.slice(0, 12);
  const label = `${name} ${short}`;
  const dir = join(cacheDir, name, digest);
  const hit = cached(dir);
  if (hit) {
    options.log(`operator ${name}: cached build ${short} of ${hit.sourceDir} (${dir})`);
    return artifactFrom(dir, { ...hit, sourceDir });
  }
  for (const tool of spec.requires)
    if (!onPath(tool.command))
      throw new HarnessError(`building operator ${name} needs \`${tool.command}\`, which is not on PATH`, {
        fix: tool.install,
      });

  mkdirSync(join(cacheDir, name), { recursive: true });
  return withLock(`${dir}.lock`, { log: options.log, what: label }, async () => {
    const other = cached(dir);
    if (other) {
      options.log(`operator ${name}: built by another process meanwhile (${dir})`);
      return artifactFrom(dir, { ...other, sourceDir });
    }
    const buildDir = join(cacheDir, name, `build-${digest}`);
    await writableCopy(sourceDir, buildDir);
    const values = { cacheDir, buildDir };
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    for (const [k, v] of Object.entries(spec.env)) env[k] = fillPlaceholders(v, values);
    const logFile = join(cacheDir, name, `build-${digest}.log`);
    const { seconds } = await runBuildCommand({
      label,
      command: spec.command.map((a) => fillPlaceholders(a, values)),
      cwd: buildDir,
      env,
      logFile,
      log: options.log,
      ...(options.progressEveryMs ? { progressEveryMs: options.progressEveryMs } : {}),
    });

    const resolveArtifact = (p: string) => {
      const filled = fillPlaceholders(p, values);
      return isAbsolute(filled) ? filled : join(buildDir, filled);
    };
    const produced = [spec.artifact, ...spec.extraArtifacts].map(resolveArtifact);
    const missing = produced.filter((p) => !existsSync(p));
    if (missing.length > 0)
      throw new HarnessError(`building ${label} succeeded but left no ${missing.join(", ")}`, {
        fix: `check build.artifact/extraArtifacts of the definition against the build's output (${logFile})`,
      });
    // Staged beside the final directory and renamed into place: a reader sees all or nothing.
    const staging = `${dir}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    for (const p of produced) cpSync(p, join(staging, basename(p)));
    const record: BuildRecord = {
      name,
      digest,
      sourceDir,
      inputs: files.length,
      artifact: basename(produced[0] as string),
      extra: produced.slice(1).map((p) => basename(p)),
      builtAt: new Date().toISOString(),
      seconds: Math.round(seconds * 10) / 10,
    };
    await writeFile(join(staging, RECORD), `${JSON.stringify(record, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    rmSync(buildDir, { recursive: true, force: true });
    options.log(`operator ${name}: built ${short} in ${record.seconds} s (${dir})`);
    return artifactFrom(dir, record);
  });
}

/**
 * A copy of the source the build may write into (a lock file, its own outputs), without a
 * previous build's `target` or the repository's history; every entry made owner-writable,
 * since a read-only source copies read-only.
 */
async function writableCopy(sourceDir: string, dest: string): Promise<void> {
  rmSync(dest, { recursive: true, force: true });
  cpSync(sourceDir, dest, {
    recursive: true,
    filter: (src) => {
      const rel = src.slice(sourceDir.length).replace(/^[/\\]/, "");
      return rel !== "target" && rel !== ".git";
    },
  });
  await makeWritable(dest);
}

async function makeWritable(path: string): Promise<void> {
  const s = await lstat(path);
  if (s.isSymbolicLink()) return;
  await chmod(path, s.mode | 0o200);
  if (!s.isDirectory()) return;
  for (const entry of await readdir(path)) await makeWritable(join(path, entry));
}

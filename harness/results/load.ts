/**
 * Reading results.json back. Every failure is a HarnessError that names the file and says what
 * to do: people feed this old runs, interrupted runs and hand-edited files.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { z } from "zod";
import { HarnessError } from "../errors.ts";
import { withControlPlaneCpuRatio } from "./control-plane-cpu.ts";
import { migrateV1 } from "./migrate/v1-to-v2.ts";
import { type Results, ResultsSchema, SCHEMA_VERSION } from "./schema.ts";

/** Older versions read through a migration (MIGRATIONS.md); anything older is refused. */
const OLDEST_READABLE = 1;

export const RESULTS_FILE = "results.json";

/** A run directory (containing results.json) or a results file. */
export async function loadResults(path: string): Promise<Results> {
  const file = await resolveResultsFile(path);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new HarnessError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseResults(text, file);
}

/** Parses results text; `source` names the file in error messages. */
export function parseResults(text: string, source: string): Results {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const truncated = looksTruncated(text);
    throw new HarnessError(
      `${source} is not valid JSON${truncated ? " (it looks truncated)" : ""}: ${(err as Error).message} (${text.length} bytes)`,
      {
        fix: truncated
          ? "the file is incomplete (an interrupted copy or write); re-run the scenario or restore it from the run's artifacts"
          : "restore the file from the run's artifacts or re-run the scenario",
        cause: err,
      },
    );
  }
  checkVersion(raw, source);
  const { kind, run } = raw as { kind?: unknown; run?: unknown };
  if ((raw as { schemaVersion: number }).schemaVersion === 1 && run !== undefined) {
    raw = migrateV1(raw as Record<string, unknown>);
  }
  if (run === undefined && typeof kind === "string") {
    throw new HarnessError(
      `${source} is the output of a "${kind}" benchmark script, not a scenario run's results.json`,
      {
        fix: "pass a run directory written by `patronus-bench run`",
      },
    );
  }
  const parsed = ResultsSchema.safeParse(raw);
  if (!parsed.success) throw schemaError(parsed.error, source);
  return withControlPlaneCpuRatio(parsed.data);
}

function looksTruncated(text: string): boolean {
  const trimmed = text.trim();
  // Text that never was JSON (an HTML page, a log) is not a cut-off results file.
  return trimmed.length === 0 || (trimmed.startsWith("{") && !trimmed.endsWith("}"));
}

function checkVersion(raw: unknown, source: string): void {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new HarnessError(`${source} is not a patronus-bench results file: expected a JSON object`, {
      fix: "pass the results.json written by `patronus-bench run` (or its run directory)",
    });
  }
  const version = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (version === undefined) {
    throw new HarnessError(`${source} has no schemaVersion, so it is not a patronus-bench results file`, {
      fix: "pass the results.json written by `patronus-bench run` (or its run directory)",
    });
  }
  if (typeof version !== "number" || !Number.isInteger(version)) {
    throw new HarnessError(`${source}: schemaVersion must be an integer, found ${JSON.stringify(version)}`);
  }
  if (version < OLDEST_READABLE) {
    throw new HarnessError(
      `${source} uses results schemaVersion ${version}, older than the schemaVersion ${OLDEST_READABLE} this patronus-bench reads`,
      {
        fix: `re-run the scenario with this version, or read it with the patronus-bench release that wrote it (see harness/results/MIGRATIONS.md for what changed in ${SCHEMA_VERSION})`,
      },
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new HarnessError(
      `${source} uses results schemaVersion ${version}, newer than the schemaVersion ${SCHEMA_VERSION} this patronus-bench reads`,
      {
        fix: "upgrade patronus-bench (pull the newer harness) to read it; see harness/results/MIGRATIONS.md",
      },
    );
  }
}

function schemaError(error: z.ZodError, source: string): HarnessError {
  const lines = error.issues.slice(0, 5).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : "";
  return new HarnessError(
    `${source} does not match results schemaVersion ${SCHEMA_VERSION}: ${lines.join("; ")}${more}`,
    {
      fix: "see harness/results/results.schema.json for the expected shape",
    },
  );
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return "(top level)";
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join("");
}

async function resolveResultsFile(path: string): Promise<string> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new HarnessError(`results not found: ${path}`, {
      fix: "pass a run directory (containing results.json) or a results.json file",
    });
  }
  if (!info.isDirectory()) return path;
  const file = join(path, RESULTS_FILE);
  try {
    await stat(file);
  } catch {
    throw new HarnessError(`${path} is a directory without ${RESULTS_FILE}`, {
      fix: "pass a run directory written by `patronus-bench run` (the run may not have finished)",
    });
  }
  return file;
}

/**
 * The repeats behind a path, for statistics across runs: DIR/repeat-<i>/results.json when the
 * directory has them, otherwise the single results file.
 */
export async function loadRepeats(path: string): Promise<Results[]> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    const entries = await readdir(path, { withFileTypes: true });
    const repeatDirs = entries
      .filter((e) => e.isDirectory() && /^repeat-\d+$/.test(e.name))
      .map((e) => e.name)
      .sort((a, b) => repeatIndex(a) - repeatIndex(b));
    if (repeatDirs.length > 0) return Promise.all(repeatDirs.map((d) => loadResults(join(path, d))));
  }
  return [await loadResults(path)];
}

function repeatIndex(dirName: string): number {
  return Number(basename(dirName).slice("repeat-".length));
}

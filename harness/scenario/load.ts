/**
 * Finds, imports and validates a scenario: a built-in by name (scenarios/<name>.ts) or a user's
 * file by path. Every failure is a HarnessError that names the file and, for a wrong field, the
 * field path and the expected shape.
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { HarnessError } from "../errors.ts";
import { describeIssue, describeIssues, fieldPath } from "./issues.ts";
import { applyOverrides, type Overrides, setKeyPath } from "./overrides.ts";
import { phaseName } from "./phases.ts";
import { ScenarioDefinition } from "./schema.ts";
import { unknownMetricReason } from "./threshold/metric-names.ts";

export const BUILTIN_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "scenarios");

export interface LoadedScenario {
  definition: ScenarioDefinition;
  /** Absolute path of the file it came from. */
  source: string;
  builtin: boolean;
}

export function builtinNames(): string[] {
  if (!existsSync(BUILTIN_DIR)) return [];
  return readdirSync(BUILTIN_DIR)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith("_"))
    .map((f) => basename(f, ".ts"))
    .sort();
}

function looksLikePath(ref: string): boolean {
  return ref.includes("/") || ref.includes("\\") || /\.(ts|mts|js|mjs)$/.test(ref);
}

export function resolveScenario(ref: string): { path: string; builtin: boolean } {
  if (looksLikePath(ref)) {
    const path = resolve(ref);
    if (!existsSync(path)) throw new HarnessError(`scenario file ${path} does not exist`);
    return { path, builtin: false };
  }
  const path = join(BUILTIN_DIR, `${ref}.ts`);
  if (!existsSync(path)) {
    throw new HarnessError(`no built-in scenario named "${ref}"`, {
      fix: `use one of ${builtinNames().join(", ")} or a path to your own scenario file`,
    });
  }
  return { path, builtin: true };
}

export async function importScenarioModule(path: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw new HarnessError(`cannot load scenario file ${path}: ${(err as Error).message}`, {
      fix: "a scenario file is a TypeScript module with `export default defineScenario({...})`",
      cause: err,
    });
  }
  const value = mod.default ?? mod.scenario;
  if (value === undefined) {
    throw new HarnessError(`scenario file ${path} has no default export`, {
      fix: "end it with `export default defineScenario({...})`",
    });
  }
  return value;
}

export interface ValidateOptions {
  /** Metric names a threshold may use beyond the catalog's: the operator under test's own. */
  extraMetrics?: readonly string[];
  /** The --set assignments applied to the input: a wrong value they set is reported as theirs. */
  set?: readonly string[];
}

export function validateScenario(
  input: unknown,
  source: string,
  options: ValidateOptions = {},
): ScenarioDefinition {
  const parsed = ScenarioDefinition.safeParse(input);
  if (!parsed.success) {
    const fix = "docs/scenarios.md lists every field, its shape and default";
    const first = parsed.error.issues[0];
    const at = first ? fieldPath(first.path) : "";
    const from = (options.set ?? []).find((a) => {
      const key = setKeyPath(a);
      return at === key || at.startsWith(`${key}.`) || at.startsWith(`${key}[`);
    });
    if (first && from) throw new HarnessError(`--set "${from}": ${describeIssue(first, input)}`, { fix });
    throw new HarnessError(`invalid scenario ${source}: ${describeIssues(parsed.error, input)}`, { fix });
  }
  checkThresholdMetrics(parsed.data, source, options.extraMetrics ?? []);
  return parsed.data;
}

/** A threshold on a metric the run cannot record is bad input now, not a failed threshold later. */
function checkThresholdMetrics(
  def: ScenarioDefinition,
  source: string,
  extraMetrics: readonly string[],
): void {
  const phases = def.phases.map((p, i) => phaseName(p, i));
  for (const metric of Object.keys(def.thresholds)) {
    const reason = unknownMetricReason(metric, { extraMetrics, phases });
    if (reason) {
      throw new HarnessError(`invalid scenario ${source}: thresholds.${metric}: ${reason}`, {
        fix: "name a metric of docs/metrics.md, or one the operator definition declares in `metrics`",
      });
    }
  }
}

export async function loadScenario(
  ref: string,
  overrides: Overrides = {},
  options: ValidateOptions = {},
): Promise<LoadedScenario> {
  const { path, builtin } = resolveScenario(ref);
  const raw = await importScenarioModule(path);
  const input = applyOverrides(raw, overrides);
  const set = [...(options.set ?? []), ...(overrides.set ?? [])];
  return { definition: validateScenario(input, path, { ...options, set }), source: path, builtin };
}

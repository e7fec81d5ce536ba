/**
 * Finds, imports, validates and (where it has a build) builds an operator under test: a built-in
 * by name (./builtin/) or a user's definition file by path. Every failure is one HarnessError
 * naming the file and, for a wrong field, the field path and the expected shape — before
 * anything starts.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { HarnessError } from "../errors.ts";
import { REPO_ROOT } from "../paths.ts";
import { describeIssues } from "../scenario/issues.ts";
import { BUILTIN_OPERATORS, builtinOperatorNames } from "./builtin/index.ts";
import { type LoadedOperator, type OperatorDefinition, OperatorDefinitionSchema } from "./definition.ts";
import { unknownPlaceholders } from "./placeholders.ts";

const SCHEMA_FILE = "harness/operators/definition.ts";

export interface ResolveOptions {
  /** The source directory to build from (--operator-source). */
  source?: string;
  log: (line: string) => void;
  /** The build cache (default: the harness's, see build/index.ts). */
  cacheDir?: string;
}

function looksLikePath(ref: string): boolean {
  return ref.includes("/") || ref.includes("\\") || /\.(ts|mts|js|mjs)$/.test(ref);
}

/** A definition checked against the schema and the placeholder list; `source` names it in errors. */
export function validateOperatorDefinition(input: unknown, source: string): OperatorDefinition {
  const parsed = OperatorDefinitionSchema.safeParse(input);
  if (!parsed.success)
    throw new HarnessError(
      `invalid operator definition ${source}: ${describeIssues(parsed.error, input, 8, SCHEMA_FILE)}`,
      { fix: `see ${SCHEMA_FILE} for the fields and their shapes` },
    );
  const unknown = unknownPlaceholders(parsed.data);
  if (unknown.length > 0) {
    const first = unknown[0] as (typeof unknown)[number];
    throw new HarnessError(
      `invalid operator definition ${source}: ${first.path}: unknown placeholder {${first.name}}` +
        (unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ""),
      { fix: `placeholders there are ${first.allowed.map((p) => `{${p}}`).join(", ")}` },
    );
  }
  return parsed.data;
}

async function importDefinitionFile(path: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw new HarnessError(`cannot load operator definition ${path}: ${(err as Error).message}`, {
      fix: "an operator definition is a TypeScript or JavaScript module with `export default defineOperator({...})`",
      cause: err,
    });
  }
  if (mod.default === undefined)
    throw new HarnessError(`operator definition ${path} has no default export`, {
      fix: "end it with `export default defineOperator({...})` (harness/operators/definition.ts)",
    });
  return mod.default;
}

/** CRD files of a user's definition are relative to the file; placeholders are filled at start. */
function anchorCrdFiles(def: OperatorDefinition, file: string): OperatorDefinition {
  const anchor = (f: string) => (isAbsolute(f) || f.startsWith("{") ? f : resolve(dirname(file), f));
  const manifests = def.manifests.map(anchor);
  if (!("files" in def.crds)) return { ...def, manifests };
  return { ...def, crds: { files: def.crds.files.map(anchor) }, manifests };
}

/** The definition alone, validated: no build (list, checks before a run). */
export async function loadOperatorDefinition(ref: string): Promise<Omit<LoadedOperator, "artifact">> {
  if (!looksLikePath(ref)) {
    const load = BUILTIN_OPERATORS[ref];
    if (!load)
      throw new HarnessError(`no built-in operator named "${ref}"`, {
        fix: `use one of ${builtinOperatorNames().join(", ")}, or a path to your own definition file (./my-operator.ts)`,
      });
    const definition = validateOperatorDefinition((await load()).default, `built-in ${ref}`);
    return { definition, origin: "built-in" };
  }
  const file = resolve(ref);
  if (!existsSync(file))
    throw new HarnessError(`operator definition file ${file} does not exist`, {
      fix: `pass a built-in name (${builtinOperatorNames().join(", ")}) or the path of a definition file`,
    });
  const definition = anchorCrdFiles(validateOperatorDefinition(await importDefinitionFile(file), file), file);
  return { definition, origin: "file", file };
}

function sourceDirOf(loaded: Omit<LoadedOperator, "artifact">, source: string | undefined): string {
  const { definition: def } = loaded;
  const dir = source
    ? resolve(source)
    : def.build?.defaultSource && resolve(REPO_ROOT, def.build.defaultSource);
  if (!dir) {
    throw new HarnessError(`operator ${def.name} is built from source: --operator-source DIR is required`, {
      fix: `pass --operator-source DIR${def.build?.sourceHint ? `, where DIR is ${def.build.sourceHint}` : ""}`,
    });
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new HarnessError(`--operator-source ${dir} is not a directory`, {
      fix: def.build?.sourceHint ? `pass ${def.build.sourceHint}` : "pass the operator's source directory",
    });
  return dir;
}

/**
 * The operator to put under test, ready to start: validated, and built (or found in the build
 * cache) when its definition has a build.
 */
export async function resolveOperator(nameOrPath: string, options: ResolveOptions): Promise<LoadedOperator> {
  const loaded = await loadOperatorDefinition(nameOrPath);
  const build = loaded.definition.build;
  if (!build) {
    if (options.source)
      throw new HarnessError(
        `operator ${loaded.definition.name} is not built from source, so --operator-source does not apply`,
        { fix: "drop --operator-source, or choose an operator with a build (see `patronus-bench list`)" },
      );
    return loaded;
  }
  const sourceDir = sourceDirOf(loaded, options.source);
  // Loaded on use: listing and validating operators needs no build machinery.
  const { buildOperator } = await import("./build/index.ts");
  const artifact = await buildOperator(loaded.definition.name, build, sourceDir, {
    log: options.log,
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
  });
  return { ...loaded, artifact };
}

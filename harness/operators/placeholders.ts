/**
 * `{name}` placeholders in a definition's commands, arguments, environment and paths: found when
 * the definition loads (an unknown name is refused there, before anything starts) and filled when
 * the operator is built or started.
 */
import { HarnessError } from "../errors.ts";
import {
  BUILD_PLACEHOLDERS,
  type BuildPlaceholder,
  type OperatorDefinition,
  PLACEHOLDERS,
  type Placeholder,
} from "./definition.ts";

const PATTERN = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The placeholder names a template uses, in order of appearance (repeats kept). */
export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PATTERN)].map((m) => m[1] as string);
}

/**
 * The template with every `{name}` replaced by `values[name]`. A name without a value is an error
 * naming it: a definition asking for something this start does not provide (e.g. `{binary}` of a
 * definition without a build) must not start with the braces left in.
 */
export function fillPlaceholders(
  template: string,
  values: Partial<Record<Placeholder | BuildPlaceholder, string>>,
): string {
  return template.replace(PATTERN, (_, name: string) => {
    const value = (values as Record<string, string | undefined>)[name];
    if (value === undefined) {
      const known = name in PLACEHOLDERS || name in BUILD_PLACEHOLDERS;
      throw new HarnessError(
        known
          ? `placeholder {${name}} in "${template}" has no value here`
          : `unknown placeholder {${name}} in "${template}"`,
        {
          fix: known
            ? `{${name}} is ${describePlaceholder(name)}; use it only where that exists`
            : `use one of ${Object.keys(PLACEHOLDERS)
                .map((p) => `{${p}}`)
                .join(", ")}`,
        },
      );
    }
    return value;
  });
}

function describePlaceholder(name: string): string {
  return (
    (PLACEHOLDERS as Record<string, string>)[name] ??
    (BUILD_PLACEHOLDERS as Record<string, string>)[name] ??
    "unknown"
  );
}

export interface PlaceholderProblem {
  /** Field path in the definition, e.g. `start.env.KUBECONFIG`. */
  path: string;
  name: string;
  allowed: readonly string[];
}

/**
 * Every `{name}` in the definition's strings that is not allowed where it stands: PLACEHOLDERS
 * in start, crds, manifests and image; BUILD_PLACEHOLDERS in the build's env and artifact paths. Arguments
 * given as a function are checked when filled.
 */
export function unknownPlaceholders(def: OperatorDefinition): PlaceholderProblem[] {
  const run = Object.keys(PLACEHOLDERS);
  const build = Object.keys(BUILD_PLACEHOLDERS);
  const fields: Array<[string, string | undefined, readonly string[]]> = [];
  const each = (prefix: string, list: readonly string[] | undefined, allowed: readonly string[]) =>
    list?.forEach((v, i) => {
      fields.push([`${prefix}[${i}]`, v, allowed]);
    });
  const record = (prefix: string, rec: Record<string, string> | undefined, allowed: readonly string[]) => {
    for (const [k, v] of Object.entries(rec ?? {})) fields.push([`${prefix}.${k}`, v, allowed]);
  };
  each("start.command", def.start.command, run);
  if (Array.isArray(def.start.args)) each("start.args", def.start.args, run);
  record("start.env", def.start.env, run);
  if ("files" in def.crds) each("crds.files", def.crds.files, run);
  else each("crds.command", def.crds.command, run);
  each("manifests", def.manifests, run);
  each("image.build", def.image?.build, run);
  each("image.command", def.image?.command, run);
  record("image.env", def.image?.env, run);
  fields.push(["image.helmChart", def.image?.helmChart, run]);
  record("build.env", def.build?.env, build);
  fields.push(["build.artifact", def.build?.artifact, build]);
  each("build.extraArtifacts", def.build?.extraArtifacts, build);
  each("build.command", def.build?.command, build);

  const problems: PlaceholderProblem[] = [];
  for (const [path, value, allowed] of fields) {
    if (value === undefined) continue;
    for (const name of placeholdersIn(value))
      if (!allowed.includes(name)) problems.push({ path, name, allowed });
  }
  return problems;
}

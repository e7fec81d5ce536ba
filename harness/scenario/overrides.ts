/**
 * Command-line changes to a scenario: `--set mesh.sites=200`, `--set phases[2].rate=80` (or
 * `phases.2.rate`), `--sites N`. They are applied to the raw definition, which is validated
 * afterwards, so a bad override is reported like a bad file field.
 */
import { HarnessError } from "../errors.ts";

export interface Overrides {
  set?: readonly string[];
  sites?: number;
}

function splitPath(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter((p) => p !== "");
}

/** JSON when it parses (numbers, booleans, arrays, objects), the raw text otherwise. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

export function applySet(target: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf("=");
  if (eq <= 0) {
    throw new HarnessError(`--set "${assignment}" is not key=value`, {
      fix: "write e.g. --set mesh.sites=200",
    });
  }
  const parts = splitPath(assignment.slice(0, eq).trim());
  if (parts.length === 0 || parts.some((p) => FORBIDDEN.has(p))) {
    throw new HarnessError(`--set "${assignment}": invalid key`, {
      fix: "use a dot path such as operator.qps",
    });
  }
  let cur: Record<string, unknown> = target;
  for (const [i, part] of parts.slice(0, -1).entries()) {
    const next = cur[part];
    if (next === undefined) {
      cur[part] = /^\d+$/.test(parts[i + 1] ?? "") ? [] : {};
    } else if (next === null || typeof next !== "object") {
      throw new HarnessError(
        `--set "${assignment}": ${parts.slice(0, i + 1).join(".")} is a ${typeof next}, not an object`,
      );
    }
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts.at(-1) as string] = parseValue(assignment.slice(eq + 1));
}

/**
 * --sites N resizes the world: the mesh, every Site create phase that created the whole mesh,
 * and the checkpoints (those beyond N are dropped, N itself is added).
 */
export function applySites(target: Record<string, unknown>, sites: number): void {
  if (!Number.isInteger(sites) || sites < 1) {
    throw new HarnessError(`--sites ${sites}: expected a positive integer`);
  }
  const mesh = (target.mesh ?? {}) as Record<string, unknown>;
  const before = typeof mesh.sites === "number" ? mesh.sites : 50;
  target.mesh = { ...mesh, sites };
  if (Array.isArray(target.phases)) {
    for (const phase of target.phases as Array<Record<string, unknown>>) {
      if (phase?.kind === "create" && (phase.object ?? "site") === "site" && phase.count === before)
        phase.count = sites;
    }
  }
  if (Array.isArray(target.checkpoints)) {
    const kept = (target.checkpoints as number[]).filter((c) => c < sites);
    target.checkpoints = [...kept, sites];
  }
}

export function applyOverrides(input: unknown, overrides: Overrides): unknown {
  if (!overrides.set?.length && overrides.sites === undefined) return input;
  const copy = structuredClone(input) as Record<string, unknown>;
  for (const s of overrides.set ?? []) applySet(copy, s);
  if (overrides.sites !== undefined) applySites(copy, overrides.sites);
  return copy;
}

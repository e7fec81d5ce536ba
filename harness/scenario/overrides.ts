/**
 * Command-line changes to a scenario: `--set mesh.sites=200`, `--set phases[2].rate=80` (or
 * `phases.2.rate`), `--sites N`. They are applied to the raw definition, which is validated
 * afterwards, so a bad override is reported like a bad file field.
 */
import type { z } from "zod";
import { HarnessError } from "../errors.ts";
import { closest } from "./nearest-name.ts";
import { ScenarioDefinition } from "./schema.ts";
import { type Node, nodeOf } from "./schema-path.ts";

export interface Overrides {
  set?: readonly string[];
  sites?: number;
}

function splitPath(path: string): string[] {
  return path
    .replace(/\[([^\]]*)\]/g, ".$1")
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

/** The field path an assignment sets, written as in messages: `phases[2].rate`. */
export function setKeyPath(assignment: string): string {
  const eq = assignment.indexOf("=");
  return pathText(splitPath(eq <= 0 ? assignment : assignment.slice(0, eq).trim()));
}

/** `phases[2].rate` from path parts, for messages. */
function pathText(parts: readonly string[]): string {
  let out = "";
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out === "" ? part : `.${part}`;
  return out;
}

/** One line about a list's entries: `[0] create "burst", [1] wait-for, …`. */
function entries(list: unknown[]): string {
  const shown = list.slice(0, 8).map((e, i) => {
    const o = (e ?? {}) as Record<string, unknown>;
    const label = [o.kind, o.name === undefined ? undefined : JSON.stringify(o.name)]
      .filter(Boolean)
      .join(" ");
    return label ? `[${i}] ${label}` : `[${i}]`;
  });
  return shown.join(", ") + (list.length > 8 ? `, … [${list.length - 1}]` : "");
}

/**
 * Applies one `key=value` to the raw definition. The key is walked along the value and the
 * scenario schema together, so a wrong index, a field that does not exist or a path through a
 * plain value is one message naming the key and what exists there.
 */
export function applySet(
  target: Record<string, unknown>,
  assignment: string,
  schema: z.ZodType = ScenarioDefinition,
): void {
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
  const refuse = (problem: string, fix: string) =>
    new HarnessError(`--set "${assignment}": ${problem}`, { fix });
  let cur: Record<string, unknown> | unknown[] = target;
  let here: z.ZodType | undefined = schema;
  for (const [i, part] of parts.entries()) {
    const where = i === 0 ? "the scenario" : pathText(parts.slice(0, i));
    const node: Node | undefined = here ? nodeOf(here, cur) : undefined;
    let next: z.ZodType | undefined;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(part)) {
        throw refuse(`${where} is a list, "${part}" is not an index`, `index it, e.g. --set ${where}[0]…`);
      }
      if (Number(part) >= cur.length) {
        throw refuse(
          cur.length === 0
            ? `${where} is empty`
            : `${where} has ${cur.length} ${cur.length === 1 ? "entry" : "entries"}: ${entries(cur)}`,
          `${cur.length === 0 ? "" : `--set changes existing entries (index 0 to ${cur.length - 1}); `}set a whole list as JSON, e.g. --set '${where}=[…]', or add entries in the scenario file`,
        );
      }
      next = node?.kind === "array" ? node.element : undefined;
    } else if (node?.kind === "object") {
      if (!node.fields.includes(part)) {
        const near = closest(part, node.fields);
        throw refuse(
          `${where} has no field "${part}"${near ? ` (did you mean "${near}"?)` : ""}`,
          `its fields: ${node.fields.join(", ")}`,
        );
      }
      next = node.child(part);
    } else if (node?.kind === "record") {
      next = node.value;
    } else if (
      node?.kind === "value" &&
      node.type !== "union" &&
      node.type !== "unknown" &&
      node.type !== "any"
    ) {
      throw refuse(
        `${where} is a ${node.type}, it has no field "${part}"`,
        `set ${where} itself, e.g. --set ${where}=…`,
      );
    }
    if (i === parts.length - 1) {
      (cur as Record<string, unknown>)[part] = parseValue(assignment.slice(eq + 1));
      return;
    }
    let value = (cur as Record<string, unknown>)[part];
    if (value === undefined) {
      const nextIsIndex = /^\d+$/.test(parts[i + 1] ?? "");
      value = nextIsIndex ? [] : {};
      (cur as Record<string, unknown>)[part] = value;
    } else if (value === null || typeof value !== "object") {
      throw refuse(
        `${pathText(parts.slice(0, i + 1))} is ${JSON.stringify(value)}, which has no field "${parts[i + 1]}"`,
        `set ${pathText(parts.slice(0, i + 1))} itself`,
      );
    }
    cur = value as Record<string, unknown> | unknown[];
    here = next;
  }
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

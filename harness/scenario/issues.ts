/**
 * Turns zod issues into one message per wrong field: where (file and field path), what was
 * found, and what shape was expected.
 */
import type { z } from "zod";

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(top level)" : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const part of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `schemaFile` names where the allowed fields are listed (a scenario's schema by default). */
export function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  schemaFile = "harness/scenario/schema.ts",
): string {
  const where = fieldPath(issue.path);
  switch (issue.code) {
    case "invalid_type":
      return `${where}: expected ${issue.expected}, got ${show(valueAt(input, issue.path))}`;
    case "unrecognized_keys":
      return `${fieldPath([...issue.path, issue.keys[0] ?? ""])}: unknown field${issue.keys.length > 1 ? `s ${issue.keys.join(", ")}` : ""} (check the spelling; allowed fields are in ${schemaFile})`;
    case "invalid_union":
      if ("discriminator" in issue && issue.discriminator) {
        const opts = (issue as { options?: unknown[] }).options ?? [];
        return `${where}: expected one of ${opts.map((o) => JSON.stringify(o)).join(", ")}, got ${show(valueAt(input, issue.path))}`;
      }
      return `${where}: ${issue.message}, got ${show(valueAt(input, issue.path))}`;
    case "invalid_value":
      return `${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${show(valueAt(input, issue.path))}`;
    case "too_small":
    case "too_big":
      return `${where}: ${issue.message.replace(/^Too (small|big): /, "")}, got ${show(valueAt(input, issue.path))}`;
    default:
      return `${where}: ${issue.message}`;
  }
}

export function describeIssues(error: z.ZodError, input: unknown, limit = 8, schemaFile?: string): string {
  const lines = error.issues.slice(0, limit).map((i) => describeIssue(i, input, schemaFile));
  if (error.issues.length > limit) lines.push(`… and ${error.issues.length - limit} more`);
  return lines.join("; ");
}

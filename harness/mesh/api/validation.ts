/** Turning zod issues into "which field, what is wrong" for API errors and file errors. */
import type { z } from "zod";

export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out || "(root)";
}

/** The most specific issue: for unions zod reports every branch, so pick the deepest path. */
export function describeZodError(err: z.ZodError): { field: string; message: string } {
  let best: { path: readonly PropertyKey[]; message: string } | undefined;
  const visit = (issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]) => {
    for (const issue of issues) {
      const path = [...prefix, ...issue.path];
      if (issue.code === "invalid_union" && issue.errors.length > 0) {
        for (const branch of issue.errors) visit(branch, path);
        continue;
      }
      let message = issue.message;
      if (issue.code === "unrecognized_keys") message = `unknown field(s): ${issue.keys.join(", ")}`;
      const at =
        issue.code === "unrecognized_keys" && issue.keys.length === 1 ? [...path, issue.keys[0]!] : path;
      if (!best || at.length > best.path.length) best = { path: at, message };
    }
  };
  visit(err.issues, []);
  return { field: formatIssuePath(best?.path ?? []), message: best?.message ?? err.message };
}

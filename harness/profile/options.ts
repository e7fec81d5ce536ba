/** The options of `patronus-bench profile`, validated before anything starts. */
import { z } from "zod";
import { HarnessError } from "../errors.ts";
import { TOOL_NAMES } from "./tools/tool.ts";

export const ProfileOptionsSchema = z.strictObject({
  tool: z.enum(TOOL_NAMES).default("cpu"),
  window: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  top: z.number().int().min(1).max(200).default(20),
  set: z.array(z.string()).default([]),
  sites: z.number().int().positive().optional(),
  /** The operator under test: a built-in name or a definition file (default: reference). */
  operator: z.string().min(1).optional(),
  /** The source directory an operator with a build is built from. */
  operatorSource: z.string().min(1).optional(),
});
export type ProfileOptions = z.infer<typeof ProfileOptionsSchema>;
export type ProfileOptionsInput = z.input<typeof ProfileOptionsSchema>;

export function parseProfileOptions(input: unknown): ProfileOptions {
  const parsed = ProfileOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") || "options";
  if (field === "tool") {
    const given = (input as { tool?: unknown }).tool;
    throw new HarnessError(`--tool: unknown profiling tool "${String(given)}"`, {
      fix: `use one of ${TOOL_NAMES.join(", ")}`,
    });
  }
  throw new HarnessError(`--${field}: ${issue?.message ?? "invalid"}`);
}

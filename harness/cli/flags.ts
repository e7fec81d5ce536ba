/** CLI flags are external input: validated with a schema, errors name the flag. */
import type { z } from "zod";
import { HarnessError } from "../errors.ts";

const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export function parseFlags<T extends z.ZodType>(schema: T, raw: unknown, command: string): z.infer<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const key = issue.path.map(String).join(".");
  throw new HarnessError(`${command}: invalid ${key ? flagName(key) : "flags"}: ${issue.message}`, {
    fix: `see \`patronus-bench ${command} --help\``,
  });
}

/** Commander argument parsers the commands share: a bad value is a one-line usage error naming the flag. */
import { InvalidArgumentError } from "commander";

export function positiveInt(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError("must be a positive integer");
  return Number(value);
}

/** A share of something whole, in (0, 1]. */
export function share(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new InvalidArgumentError("must be a share in (0, 1]");
  return n;
}

/** A repeatable option's values, in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A relative change in percent, in (0, 1000]. */
export function percentage(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1000)
    throw new InvalidArgumentError("must be a percentage in (0, 1000]");
  return n;
}

/** A confidence level, strictly between 0 and 1. */
export function confidenceLevel(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new InvalidArgumentError("must be between 0 and 1");
  return n;
}

/** A comma-separated list of names; undefined when the option was not given. */
/** Comma-separated names; a comma inside a label set (`name{a="1",b="2"}`) belongs to the name. */
export function nameList(value: unknown): string[] | undefined {
  if (typeof value !== "string") return undefined;
  const names: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of value) {
    if (ch === "{") depth++;
    if (ch === "}") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) {
      names.push(current);
      current = "";
    } else current += ch;
  }
  names.push(current);
  return names.map((x) => x.trim()).filter(Boolean);
}

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

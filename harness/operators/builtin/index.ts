/**
 * The built-in operator definitions by name. Loaded on use: a definition module reads fixtures
 * at import, and `run` needs only the one it starts.
 */
export const BUILTIN_OPERATORS: Readonly<Record<string, () => Promise<{ default: unknown }>>> = {
  reference: () => import("./reference/index.ts"),
  "patronus-rs": () => import("./patronus-rs/index.ts"),
};

/** The operator `run` starts when --operator is not given: needs no toolchain beyond Node. */
export const DEFAULT_OPERATOR = "reference";

export function builtinOperatorNames(): string[] {
  return Object.keys(BUILTIN_OPERATORS);
}

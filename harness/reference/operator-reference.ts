/** The placeholder table of docs/operators.md, read from the operator definition schema. */
import { BUILD_PLACEHOLDERS, PLACEHOLDERS } from "../operators/definition.ts";

export function placeholderReference(): string {
  const row = (name: string, what: string, where: string) => `| \`{${name}}\` | ${where} | ${what} |`;
  return [
    "| placeholder | in | filled with |",
    "| --- | --- | --- |",
    ...Object.entries(PLACEHOLDERS).map(([n, w]) => row(n, w, "`start`, `crds`, `manifests`, `image`")),
    ...Object.entries(BUILD_PLACEHOLDERS).map(([n, w]) => row(n, w, "`build` (command, env, artifacts)")),
    "",
  ].join("\n");
}

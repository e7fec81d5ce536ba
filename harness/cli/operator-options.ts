/** The flags that choose the operator under test, for every command that runs one operator (`run`, `profile`). */
import type { Command } from "commander";

export function addOperatorOptions(command: Command): Command {
  return command
    .option(
      "--operator <name|path>",
      "the operator under test: a built-in (reference, the default; patronus-rs; see `list`) or an operator definition file",
    )
    .option(
      "--operator-source <dir>",
      "the source directory an operator with a build is built from (cached by the digest of its inputs), e.g. patronus-rs's checkout",
    );
}

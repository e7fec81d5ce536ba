/**
 * Process entry of the simulator alone (same flags as `patronus-bench mesh`), without loading the
 * rest of the CLI: what the benchmark measures and what a container runs.
 */
import { Command, CommanderError } from "commander";
import { register } from "../cli/commands/mesh.ts";
import { describeError } from "../errors.ts";

const program = new Command("patronus-mesh").exitOverride();
register(program);
try {
  await program.parseAsync(["mesh", ...process.argv.slice(2)], { from: "user" });
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander has printed its own message (bad flag, --help): only the exit code is left.
    process.exitCode = err.exitCode === 0 ? 0 : 1;
  } else {
    console.error(`error: ${describeError(err)}`);
    process.exitCode = 1;
  }
}

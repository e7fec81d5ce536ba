/**
 * patronus-bench CLI. Exit codes follow k6: 0 success, 1 harness error, 99 a failed threshold;
 * 98 inconclusive (nothing failed, but other work on the machine spoiled the timings).
 */
import { Command, CommanderError } from "commander";
import { describeError, EXIT, HarnessError, Inconclusive, Interrupted, ThresholdFailure } from "../errors.ts";
import { ignoreClosedPipes } from "./closed-pipe.ts";
import { registerCommands } from "./commands/index.ts";

const USAGE_FIX = "see `patronus-bench <command> --help`";

/** Commander errors it has already printed; one raised in an action (InvalidArgumentError) it has not. */
const printed = new WeakSet<object>();
let lastPrinted: string | undefined;

export function buildProgram(): Command {
  const program = new Command("patronus-bench")
    .description("Load, scale and failover benchmarks for the Patronus SD-WAN operator")
    .option("--debug", "show stack traces and debug logs")
    // One line per mistake, as for every other bad input: the usage is one --help away.
    .configureOutput({
      outputError: (text, write) => {
        lastPrinted = text;
        write(`${text.trim().replace(/\s*\n\s*/g, " ")} — fix: ${USAGE_FIX}\n`);
      },
    })
    .exitOverride((err) => {
      if (lastPrinted !== undefined) printed.add(err);
      lastPrinted = undefined;
      throw err;
    });
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  ignoreClosedPipes();
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version arrive here too, with exit code 0.
      if (err.exitCode === 0) return EXIT.ok;
      if (!printed.has(err))
        console.error(`error: ${err.message.replace(/^error: /, "")} — fix: ${USAGE_FIX}`);
      return EXIT.harnessError;
    }
    if (err instanceof Interrupted) {
      console.error(err.message);
      return err.signal === "SIGINT" ? 130 : 143;
    }
    if (err instanceof Inconclusive) {
      console.error(`? ${err.message}`);
      return EXIT.inconclusive;
    }
    if (err instanceof ThresholdFailure) {
      console.error(`✗ ${err.message}`);
      return EXIT.thresholdFailed;
    }
    const debug = argv.includes("--debug");
    // One line: a message quoting a file's contents may carry its line breaks.
    console.error(`error: ${describeError(err).replace(/\s*\n\s*/g, " ")}`);
    if (debug && err instanceof Error) console.error(err.stack);
    else if (!(err instanceof HarnessError)) console.error("(run with --debug for the stack trace)");
    return EXIT.harnessError;
  }
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
}

/**
 * `patronus-bench spread <dir|file>...`: how much each gated figure and cost count moved across
 * repeats of one scenario — n, mean, sample standard deviation, CV, min, max — highest CV first.
 */
import type { Command } from "commander";
import { z } from "zod";
import { HarnessError } from "../../errors.ts";
import { parseFlags } from "../flags.ts";

const Flags = z.strictObject({
  json: z.boolean().optional(),
  markdown: z.boolean().optional(),
  change: z.coerce.number().gt(0).max(1000),
});

export function register(program: Command): void {
  program
    .command("spread")
    .description("the spread across repeats of every gated figure and cost count: n, mean, SD, CV, min, max")
    .argument(
      "<runs...>",
      "a run directory written with --repeat N (its repeat-<i>/ are the samples), or several results files or run directories (each one sample)",
    )
    .option("--json", "print JSON")
    .option("--markdown", "print a Markdown section")
    .option(
      "--change <percent>",
      "the change the last column says how many repeats a t-test needs to see",
      "10",
    )
    .addHelpText(
      "after",
      `
A gated figure is a thresholded metric at the statistic its threshold reads (p(99) of a
distribution, a gauge's value, a counter's count); the cost counts (apiserver_requests_per_object,
operator_cpu_seconds_per_1000_objects, operator_cpu_per_control_plane_cpu,
patronus_api_calls_per_object, operator_bytes_sent_per_object, etcd_bytes_per_object) are listed
too, and one whose CV is above 2 % is marked. SD is the sample standard deviation (n − 1), CV = SD / mean; a
run that did not record a figure is left out of its n. The last column: repeats per side a
two-sided t-test on per-run values (as compare runs) needs at α 0.05 to see a --change % change of
the mean with probability 0.8, at this CV, for the figure on its own.
Exit codes: 0 the table was printed, 1 bad input (no results, fewer than 2 runs, runs of
different scenarios).`,
    )
    .action(async (paths: string[], raw: unknown) => {
      const flags = parseFlags(Flags, raw, "spread");
      if (flags.json && flags.markdown) {
        throw new HarnessError("spread: --json and --markdown are exclusive", {
          fix: "pass one of them (or neither, for the terminal table)",
        });
      }
      const [{ loadRepeats }, { spreadOf }, { formatSpread }, { DEFAULT_POWER }] = await Promise.all([
        import("../../results/load.ts"),
        import("../../report/spread/spread.ts"),
        import("../../report/spread/format.ts"),
        import("../../report/spread/repeats-needed.ts"),
      ]);
      const samples = (await Promise.all(paths.map((p) => loadRepeats(p)))).flat();
      const spread = spreadOf(samples, { ...DEFAULT_POWER, change: flags.change / 100 });
      process.stdout.write(formatSpread(spread, flags.json ? "json" : flags.markdown ? "markdown" : "table"));
    });
}

/**
 * `patronus-bench ab-analyze <dir>`: a finished A/B answered again from its runs — with other
 * gated metrics, minimum effect or confidence — without running anything. Prints the answer;
 * the A/B's own ab.json and ab.md stay as they were.
 */
import type { Command } from "commander";
import { HarnessError } from "../../errors.ts";
import { nameList, positiveInt } from "../option-parsers.ts";
import { addAnswerOptions, throwOnAbVerdict } from "./ab-answer.ts";

export function register(program: Command): void {
  const command = program
    .command("ab-analyze")
    .description("answer a finished A/B again from its runs, with other --gate, --min-effect or --confidence")
    .argument("<dir>", "the directory an `ab` run wrote (ab.json, base/, head/)");
  addAnswerOptions(command)
    .option("--markdown", "print the answer as Markdown (as ab.md)")
    .option(
      "--trials <pairs>",
      "cut the A/B into consecutive trials of this many pairs and answer each: how often this runner's gate says what",
      positiveInt,
    )
    .addHelpText(
      "after",
      `
The fewer metrics gate, the narrower each one's interval (the confidence is shared among them):
gating on the cost counts alone decides with fewer pairs than gating on every figure.
With --trials N the pairs are cut into consecutive blocks of N, each answered as an A/B of its own:
run an A/A (same ref on both sides) for the gate's false alarms on this runner, a known
regression for its power. That is a measurement, not a gate: it exits 0.
Exit codes: as ab — 0 decided and nothing regressed, 99 regressed, 98 undecided, 1 bad input.
Examples:
  patronus-bench ab-analyze reports/ab-scale-1000 --gate operator_cpu_seconds_per_1000_objects,apiserver_requests_per_object
  patronus-bench ab-analyze reports/ab-aa --trials 3 --gate patronus_api_calls_per_object,lost_updates`,
    )
    .action(async (dir: string, o) => {
      const [{ readFinishedAb }, { analyzeAb }, { formatAbMarkdown, formatAbTable }] = await Promise.all([
        import("../../ab/finished.ts"),
        import("../../ab/analyze.ts"),
        import("../../ab/format.ts"),
      ]);
      const ab = await readFinishedAb(dir);
      // Said first: an A/B that stopped early is answered on what it ran, and must not pass for whole.
      if (ab.planned !== undefined)
        process.stdout.write(
          `partial A/B: ${ab.pairs} of ${ab.planned} pairs ran (it was stopped or is still running)\n`,
        );
      const gate = nameList(o.gate);
      const options = {
        minEffectPercent: o.minEffect,
        confidence: o.confidence,
        ...(gate ? { gate } : {}),
      };
      if (o.trials !== undefined) {
        await answerTrials(ab, o.trials, options, o.markdown === true);
        return;
      }
      const analysis = analyzeAb(ab.base, ab.head, ab.labels, options);
      process.stdout.write(o.markdown ? formatAbMarkdown(analysis) : formatAbTable(analysis));
      throwOnAbVerdict(analysis, ab.pairs);
    });
}

async function answerTrials(
  ab: import("../../ab/finished.ts").FinishedAb,
  pairsPerTrial: number,
  options: Partial<import("../../ab/analyze.ts").AbAnalysisOptions>,
  markdown: boolean,
): Promise<void> {
  const [
    { MIN_PAIRS_TO_DECIDE },
    { splitIntoTrials },
    { formatTrialsMarkdown, formatTrialsTable },
    { abMethod },
  ] = await Promise.all([
    import("../../ab/paired.ts"),
    import("../../ab/trials.ts"),
    import("../../ab/trials-format.ts"),
    import("../../ab/format.ts"),
  ]);
  if (pairsPerTrial < MIN_PAIRS_TO_DECIDE || pairsPerTrial > ab.pairs)
    throw new HarnessError(
      `--trials ${pairsPerTrial}: a trial needs ${MIN_PAIRS_TO_DECIDE} to ${ab.pairs} pairs (this A/B has ${ab.pairs})`,
      {
        fix: `give --trials a number of pairs from ${MIN_PAIRS_TO_DECIDE} up to ${ab.pairs}; fewer than ${MIN_PAIRS_TO_DECIDE} pairs decide nothing`,
      },
    );
  const answer = splitIntoTrials(ab.base, ab.head, pairsPerTrial, ab.labels, options);
  const first = answer.trials[0];
  const method = first ? abMethod(first.analysis) : "";
  process.stdout.write(markdown ? formatTrialsMarkdown(answer, method) : formatTrialsTable(answer));
}

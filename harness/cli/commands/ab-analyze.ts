/**
 * `patronus-bench ab-analyze <dir>`: a finished A/B answered again from its runs — with other
 * gated metrics, minimum effect or confidence — without running anything. Prints the answer;
 * the A/B's own ab.json and ab.md stay as they were. With --trials, several A/Bs of the same
 * refs and scenario can be cut into trials together.
 */
import { basename } from "node:path";
import type { Command } from "commander";
import { HarnessError } from "../../errors.ts";
import { nameList, positiveInt } from "../option-parsers.ts";
import { addAnswerOptions, throwOnAbVerdict } from "./ab-answer.ts";

export function register(program: Command): void {
  const command = program
    .command("ab-analyze")
    .description("answer a finished A/B again from its runs, with other --gate, --min-effect or --confidence")
    .argument(
      "<dirs...>",
      "the directory an `ab` run wrote (ab.json, base/, head/); with --trials, several A/Bs of the same refs",
    );
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
regression for its power. That is a measurement, not a gate: it exits 0. Several directories
(A/Bs of the same refs and scenario, e.g. one a night) are each cut alike and counted together.
Exit codes: as ab — 0 decided and nothing regressed, 99 regressed, 98 undecided, 1 bad input.
Examples:
  patronus-bench ab-analyze reports/ab-scale-1000 --gate operator_cpu_seconds_per_1000_objects,apiserver_requests_per_object
  patronus-bench ab-analyze reports/ab-aa --trials 3 --gate patronus_api_calls_per_object,lost_updates
  patronus-bench ab-analyze reports/aa-mon reports/aa-tue reports/aa-wed --trials 6`,
    )
    .action(async (dirs: string[], o) => {
      const [{ readFinishedAb }, { analyzeAb }, { formatAbMarkdown, formatAbTable }] = await Promise.all([
        import("../../ab/finished.ts"),
        import("../../ab/analyze.ts"),
        import("../../ab/format.ts"),
      ]);
      if (dirs.length > 1 && o.trials === undefined)
        throw new HarnessError(`ab-analyze: ${dirs.length} directories, but one A/B is answered at a time`, {
          fix: "give one directory, or cut several A/Bs of the same refs into trials with --trials N",
        });
      const abs = [];
      for (const dir of dirs) {
        const ab = await readFinishedAb(dir);
        // Said first: an A/B that stopped early is answered on what it ran, and must not pass for whole.
        if (ab.planned !== undefined)
          process.stdout.write(
            `partial A/B${dirs.length > 1 ? ` ${dir}` : ""}: ${ab.pairs} of ${ab.planned} pairs ran (it was stopped or is still running)\n`,
          );
        abs.push({ dir, ab });
      }
      const gate = nameList(o.gate);
      const options = {
        minEffectPercent: o.minEffect,
        confidence: o.confidence,
        ...(gate ? { gate } : {}),
      };
      if (o.trials !== undefined) {
        await answerTrials(abs, o.trials, options, o.markdown === true);
        return;
      }
      const { ab } = abs[0]!;
      const analysis = analyzeAb(ab.base, ab.head, ab.labels, options);
      process.stdout.write(o.markdown ? formatAbMarkdown(analysis) : formatAbTable(analysis));
      throwOnAbVerdict(analysis, ab.pairs);
    });
}

async function answerTrials(
  abs: { dir: string; ab: import("../../ab/finished.ts").FinishedAb }[],
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
  const first = abs[0]!;
  // Trials counted together must answer one question: the same refs on the same scenario.
  for (const { dir, ab } of abs.slice(1)) {
    const same = ab.labels.base === first.ab.labels.base && ab.labels.head === first.ab.labels.head;
    if (!same || ab.scenario !== first.ab.scenario)
      throw new HarnessError(
        `${dir}: ${ab.labels.head} against ${ab.labels.base} on ${ab.scenario}, but ${first.dir}: ${first.ab.labels.head} against ${first.ab.labels.base} on ${first.ab.scenario}`,
        { fix: "cut together only A/Bs of the same base, head and scenario" },
      );
  }
  const most = Math.max(...abs.map((a) => a.ab.pairs));
  const what = abs.length > 1 ? `the largest of these A/Bs has ${most}` : `this A/B has ${most}`;
  if (pairsPerTrial < MIN_PAIRS_TO_DECIDE || pairsPerTrial > most)
    throw new HarnessError(
      `--trials ${pairsPerTrial}: a trial needs ${MIN_PAIRS_TO_DECIDE} to ${most} pairs (${what})`,
      {
        fix: `give --trials a number of pairs from ${MIN_PAIRS_TO_DECIDE} up to ${most}; fewer than ${MIN_PAIRS_TO_DECIDE} pairs decide nothing`,
      },
    );
  const answer = splitIntoTrials(
    abs.map(({ dir, ab }) => ({
      ...(abs.length > 1 ? { source: basename(dir) } : {}),
      base: ab.base,
      head: ab.head,
    })),
    pairsPerTrial,
    first.ab.labels,
    options,
  );
  const trial = answer.trials[0];
  const method = trial ? abMethod(trial.analysis) : "";
  process.stdout.write(markdown ? formatTrialsMarkdown(answer, method) : formatTrialsTable(answer));
}

/**
 * `patronus-bench ab <scenario> --base REF --head REF`: base and head run alternately on the same
 * machine and cluster provider (A B B A …), and each gated metric is answered as a paired ratio
 * head/base with an interval and a verdict. Exit 99 when a gated metric regressed, 98 when none
 * regressed but some could not be decided (too few pairs, contaminated runs).
 */
import { type Command, Option } from "commander";
import { checkOutArguments } from "../../outputs/spec.ts";
import { addContaminationOptions, applyContaminationOptions } from "../contamination-options.ts";
import { collect, nameList, positiveInt } from "../option-parsers.ts";
import { addAnswerOptions, throwOnAbVerdict } from "./ab-answer.ts";

export function register(program: Command): void {
  const command = program
    .command("ab")
    .description(
      "A/B on this machine: run base and head alternately (A B B A …) and answer each gated metric as head/base with an interval",
    )
    .argument("<scenario>", "built-in scenario name or path to a .ts scenario file")
    .requiredOption(
      "--base <ref>",
      "the baseline: an operator (reference, patronus-rs, a definition file) or git:<rev> (the reference operator at a revision of this repository, run as a process)",
    )
    .requiredOption("--head <ref>", "the candidate, as --base")
    .option(
      "--base-source <dir>",
      "source directory the base operator is built from (operators with a build)",
    )
    .option("--head-source <dir>", "source directory the head operator is built from")
    .option("--pairs <n>", "pairs of runs (each side runs N times)", positiveInt, 3)
    .option(
      "--out <dir|sink>",
      "output directory (default reports/ab-<scenario>-<timestamp>/); repeatable beside it: json=FILE, csv=FILE, " +
        "prometheus-rw=URL stream every run, labelled ab_side=base|head and ab_pair (docs/outputs.md)",
      collect,
      [],
    )
    .addOption(
      new Option("--cluster <provider>", "where to run (as `run`)").choices([
        "embedded",
        "kind",
        "kubeconfig",
      ]),
    )
    .option("--kubeconfig <file>", "kubeconfig for --cluster kubeconfig")
    .option("--set <key=value>", "override a scenario field on both sides (repeatable)", collect, []);
  addContaminationOptions(addAnswerOptions(command))
    .option("--no-report", "do not render each run's index.html, summary.md and junit.xml")
    .addHelpText(
      "after",
      `
Each run is a normal run in DIR/base/repeat-<k> and DIR/head/repeat-<k>; the answer goes to
stdout, DIR/ab.json and DIR/ab.md. Verdicts: improved, unchanged, regressed, or inconclusive
(with about how many pairs would decide). Fewer than 3 pairs decide nothing. While it runs,
DIR/ab.json names the whole pairs done so far as partial: an A/B stopped early (Ctrl-C, a crash)
is answered on what it ran with ab-analyze DIR, which says it is partial.
Exit codes: 0 every gated metric decided and none regressed, 99 a gated metric regressed,
98 none regressed but some undecided, 1 harness error / bad input,
130 interrupted (Ctrl-C ends the current run the careful way, as \`run\` does).
Examples:
  patronus-bench ab smoke --base reference --head reference --pairs 3
  patronus-bench ab smoke --base git:main --head git:HEAD --pairs 5
  patronus-bench ab smoke --base reference --head patronus-rs --head-source ../shared/upstream/patronus-operator
Answer a finished A/B again with other --gate, --min-effect or --confidence: patronus-bench ab-analyze DIR`,
    )
    .action(async (scenario: string, o) => {
      await applyContaminationOptions(o);
      // Before anything builds or starts: a bad --out is a one-line error, nothing created.
      const out = await checkOutArguments(o.out);
      const { runAb } = await import("../../ab/run-ab.ts");
      const gate = nameList(o.gate);
      const { interruptible } = await import("../interrupt.ts");
      const { analysis } = await interruptible("A/B", (interrupt) =>
        runAb(scenario, {
          base: { ref: o.base, ...(o.baseSource ? { source: o.baseSource } : {}) },
          head: { ref: o.head, ...(o.headSource ? { source: o.headSource } : {}) },
          pairs: o.pairs,
          interrupt,
          set: o.set,
          ...(out.dir ? { out: out.dir } : {}),
          ...(out.sinks.length > 0 ? { sinks: out.sinks } : {}),
          ...(o.cluster ? { cluster: o.cluster } : {}),
          ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
          ...(o.report === false ? { noReport: true } : {}),
          analysis: {
            minEffectPercent: o.minEffect,
            confidence: o.confidence,
            ...(gate ? { gate } : {}),
          },
        }),
      );
      throwOnAbVerdict(analysis, o.pairs);
    });
}

/**
 * `patronus-bench ab-analyze <dir>`: a finished A/B answered again from its runs — with other
 * gated metrics, minimum effect or confidence — without running anything. Prints the answer;
 * the A/B's own ab.json and ab.md stay as they were.
 */
import type { Command } from "commander";
import { nameList } from "../option-parsers.ts";
import { addAnswerOptions, throwOnAbVerdict } from "./ab-answer.ts";

export function register(program: Command): void {
  const command = program
    .command("ab-analyze")
    .description("answer a finished A/B again from its runs, with other --gate, --min-effect or --confidence")
    .argument("<dir>", "the directory an `ab` run wrote (ab.json, base/, head/)");
  addAnswerOptions(command)
    .option("--markdown", "print the answer as Markdown (as ab.md)")
    .addHelpText(
      "after",
      `
The fewer metrics gate, the narrower each one's interval (the confidence is shared among them):
gating on the cost counts alone decides with fewer pairs than gating on every figure.
Exit codes: as ab — 0 decided and nothing regressed, 99 regressed, 98 undecided, 1 bad input.
Example:
  patronus-bench ab-analyze reports/ab-scale-1000 --gate operator_cpu_seconds_per_1000_objects,apiserver_requests_per_object`,
    )
    .action(async (dir: string, o) => {
      const [{ readFinishedAb }, { analyzeAb }, { formatAbMarkdown, formatAbTable }] = await Promise.all([
        import("../../ab/finished.ts"),
        import("../../ab/analyze.ts"),
        import("../../ab/format.ts"),
      ]);
      const ab = await readFinishedAb(dir);
      const gate = nameList(o.gate);
      const analysis = analyzeAb(ab.base, ab.head, ab.labels, {
        minEffectPercent: o.minEffect,
        confidence: o.confidence,
        ...(gate ? { gate } : {}),
      });
      process.stdout.write(o.markdown ? formatAbMarkdown(analysis) : formatAbTable(analysis));
      throwOnAbVerdict(analysis, ab.pairs);
    });
}

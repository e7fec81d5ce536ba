/**
 * What `ab` and `ab-analyze` share about an A/B's answer: the options that shape it and the exit
 * it gives (99 regressed, 98 undecided).
 */
import type { Command } from "commander";
import type { AbAnalysis } from "../../ab/analyze.ts";
import { Inconclusive, ThresholdFailure } from "../../errors.ts";
import { confidenceLevel, percentage } from "../option-parsers.ts";

export function addAnswerOptions(command: Command): Command {
  return command
    .option("--min-effect <percent>", "smallest relative change that counts", percentage, 10)
    .option(
      "--confidence <level>",
      "family-wise confidence of the intervals over all gated metrics",
      confidenceLevel,
      0.95,
    )
    .option(
      "--gate <metrics>",
      'comma-separated metrics that gate (default: every metric with a better direction); a bare name gates all its series, name{} only the unlabelled one, name{label="v"} exactly that one',
    );
}

export function throwOnAbVerdict(analysis: AbAnalysis, pairs: number): void {
  if (analysis.verdict === "regressed") {
    const regressed = analysis.rows.filter((r) => r.verdict === "regressed");
    throw new ThresholdFailure(
      `${regressed.length} gated metric(s) regressed: ${regressed.map((r) => `${r.metric} ${r.stat}`).join(", ")}`,
    );
  }
  // A gate that could not decide must not pass as if it had: its own exit, as run's.
  if (analysis.verdict === "inconclusive") {
    const undecided = analysis.rows.filter((r) => r.verdict === "inconclusive").length;
    throw new Inconclusive(
      `${undecided} gated metric(s) inconclusive after ${pairs} pair(s), none regressed: more pairs, fewer gated metrics (--gate) or a quieter machine would decide them (see ab.md)`,
    );
  }
}

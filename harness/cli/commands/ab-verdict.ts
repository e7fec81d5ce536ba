/** The exit an A/B's answer gives, shared by `ab` and `ab-analyze`: 99 regressed, 98 undecided. */
import type { AbAnalysis } from "../../ab/analyze.ts";
import { Inconclusive, ThresholdFailure } from "../../errors.ts";

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

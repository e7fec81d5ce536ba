/**
 * A long A/B cut into trials: consecutive, disjoint blocks of pairs, each answered as if it had
 * been an A/B of its own. Every block was run alternately (A B B A …) in its own stretch of time,
 * so a block is what a shorter `ab` on this runner would have seen. An A/A cut this way gives the
 * gate's false-alarm rate on this runner; a known regression cut this way gives its power.
 */

import type { Results } from "../results/schema.ts";
import { type AbAnalysis, type AbAnalysisOptions, analyzeAb } from "./analyze.ts";
import type { AbVerdict } from "./paired.ts";

export interface Trial {
  /** 1-based pair numbers the trial covers, inclusive. */
  pairs: [number, number];
  analysis: AbAnalysis;
  /** Runs of the trial the machine's state marked contaminated. */
  contaminatedRuns: number;
}

export interface MetricTally {
  metric: string;
  stat: string;
  counts: Record<AbVerdict, number>;
}

export interface TrialsAnswer {
  pairsPerTrial: number;
  trials: Trial[];
  /** Pairs after the last whole trial, left out. */
  leftOver: number;
  counts: Record<AbVerdict, number>;
  /** Per gated figure: in how many trials it came out each way. */
  metrics: MetricTally[];
}

const NONE = (): Record<AbVerdict, number> => ({ regressed: 0, improved: 0, unchanged: 0, inconclusive: 0 });

export function splitIntoTrials(
  base: readonly Results[],
  head: readonly Results[],
  pairsPerTrial: number,
  labels: { base: string; head: string; scenario: string },
  options: Partial<AbAnalysisOptions> = {},
): TrialsAnswer {
  const pairs = Math.min(base.length, head.length);
  const whole = Math.floor(pairs / pairsPerTrial);
  const trials: Trial[] = [];
  for (let t = 0; t < whole; t++) {
    const from = t * pairsPerTrial;
    const to = from + pairsPerTrial;
    const b = base.slice(from, to);
    const h = head.slice(from, to);
    trials.push({
      pairs: [from + 1, to],
      analysis: analyzeAb(b, h, labels, options),
      contaminatedRuns: [...b, ...h].filter((r) => r.contamination?.contaminated).length,
    });
  }
  const counts = NONE();
  const byMetric = new Map<string, MetricTally>();
  for (const trial of trials) {
    counts[trial.analysis.verdict]++;
    for (const row of trial.analysis.rows) {
      const key = `${row.metric}\u0000${row.stat}`;
      const tally = byMetric.get(key) ?? { metric: row.metric, stat: row.stat, counts: NONE() };
      tally.counts[row.verdict]++;
      byMetric.set(key, tally);
    }
  }
  return {
    pairsPerTrial,
    trials,
    leftOver: pairs - whole * pairsPerTrial,
    counts,
    metrics: [...byMetric.values()],
  };
}

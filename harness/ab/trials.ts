/**
 * A long A/B cut into trials: consecutive, disjoint blocks of pairs, each answered as if it had
 * been an A/B of its own. Every block was run alternately (A B B A …) in its own stretch of time,
 * so a block is what a shorter `ab` on this runner would have seen. An A/A cut this way gives the
 * gate's false-alarm rate on this runner; a known regression cut this way gives its power.
 * Several A/Bs of the same refs and scenario (run one after another, or on other days) are cut
 * alike and their trials counted together: trials never span two A/Bs.
 */

import type { Results } from "../results/schema.ts";
import { type AbAnalysis, type AbAnalysisOptions, analyzeAb } from "./analyze.ts";
import type { AbVerdict } from "./paired.ts";

/** One A/B's runs, in its pair order. */
export interface AbRuns {
  /** Where they come from (the A/B's directory), named when several A/Bs are cut together. */
  source?: string;
  base: readonly Results[];
  head: readonly Results[];
}

export interface Trial {
  /** The A/B the trial comes from, when several were cut together. */
  source?: string;
  /** 1-based pair numbers the trial covers within its A/B, inclusive. */
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
  /** Pairs after the last whole trial of each A/B, left out. */
  leftOver: number;
  /** How many A/Bs the trials come from. */
  sources: number;
  counts: Record<AbVerdict, number>;
  /** Per gated figure: in how many trials it came out each way. */
  metrics: MetricTally[];
}

const NONE = (): Record<AbVerdict, number> => ({ regressed: 0, improved: 0, unchanged: 0, inconclusive: 0 });

export function splitIntoTrials(
  abs: readonly AbRuns[],
  pairsPerTrial: number,
  labels: { base: string; head: string; scenario: string },
  options: Partial<AbAnalysisOptions> = {},
): TrialsAnswer {
  const trials: Trial[] = [];
  let leftOver = 0;
  for (const { source, base, head } of abs) {
    const pairs = Math.min(base.length, head.length);
    const whole = Math.floor(pairs / pairsPerTrial);
    leftOver += pairs - whole * pairsPerTrial;
    for (let t = 0; t < whole; t++) {
      const from = t * pairsPerTrial;
      const to = from + pairsPerTrial;
      const b = base.slice(from, to);
      const h = head.slice(from, to);
      trials.push({
        ...(source !== undefined ? { source } : {}),
        pairs: [from + 1, to],
        analysis: analyzeAb(b, h, labels, options),
        contaminatedRuns: [...b, ...h].filter((r) => r.contamination?.contaminated).length,
      });
    }
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
    leftOver,
    sources: abs.length,
    counts,
    metrics: [...byMetric.values()],
  };
}

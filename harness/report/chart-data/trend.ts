/**
 * Whether a fitted line says something. A least-squares slope is always a number, even through
 * four noisy points or 23 seconds of samples extrapolated to an hour; the report prints it only
 * when the data carries the trend, and otherwise says why not.
 *
 * The rules (stated in the report where a figure is withheld):
 * - cost slope per 1000 objects (checkpoints): at least 4 points and R² ≥ 0.9 — the line explains
 *   nine tenths of the variation, so the slope is not the noise of one checkpoint;
 * - RSS growth per hour: samples spanning at least 10 minutes, at least 30 of them, and R² ≥ 0.5
 *   — a rate per hour from a shorter run is an extrapolation of start-up and GC, not a leak.
 */
import { type LinearFit, leastSquares } from "../../statistics/least-squares.ts";
export interface TrendRule {
  minPoints: number;
  minR2: number;
  /** Minimum span of x (e.g. seconds of samples), with how to say it. */
  minSpan?: { value: number; text: string; describe: (span: number) => string };
}

export const COST_SLOPE_RULE: TrendRule = { minPoints: 4, minR2: 0.9 };

export const RSS_GROWTH_RULE: TrendRule = {
  minPoints: 30,
  minR2: 0.5,
  minSpan: {
    value: 600,
    text: "10 min",
    describe: (s) => (s < 120 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`),
  },
};

export type Trend =
  | { meaningful: true; fit: LinearFit }
  | { meaningful: false; fit?: LinearFit; reason: string };

/** The fit, if the points meet the rule; otherwise what they lack, in words. */
export function judgeTrend(points: ReadonlyArray<readonly [number, number]>, rule: TrendRule): Trend {
  const fit = leastSquares(points);
  const xs = points.map((p) => p[0]);
  const span = xs.length > 0 ? Math.max(...xs) - Math.min(...xs) : 0;
  const needs = [
    `≥ ${rule.minPoints} points`,
    ...(rule.minSpan ? [`≥ ${rule.minSpan.text} of samples`] : []),
    `R² ≥ ${rule.minR2}`,
  ].join(", ");
  const lacks: string[] = [];
  if (rule.minSpan && span < rule.minSpan.value) lacks.push(`${rule.minSpan.describe(span)} of samples`);
  if (points.length < rule.minPoints) lacks.push(`${points.length} point${points.length === 1 ? "" : "s"}`);
  if (fit && fit.r2 < rule.minR2) lacks.push(`R² ${fit.r2.toFixed(2)}`);
  if (!fit && lacks.length === 0) lacks.push("no spread in x");
  if (lacks.length === 0 && fit) return { meaningful: true, fit };
  return {
    meaningful: false,
    ...(fit ? { fit } : {}),
    reason: `not enough signal: ${lacks.join(", ")} (a trend needs ${needs})`,
  };
}

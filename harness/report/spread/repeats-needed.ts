/**
 * How many repeats per side a comparison of means needs to see a relative change, given the
 * figure's coefficient of variation: the two-sample t-test's sample size, n ≥ 2·(t₁₋α/₂ + t₁₋β)²·
 * (CV / change)² with both t quantiles at 2n − 2 degrees of freedom (iterated from the normal
 * approximation, which never overshoots). It takes the same CV for both sides and one figure on
 * its own: a correction across many figures (compare's Holm step-down) asks for more.
 */
import { normalQuantile, studentTQuantile } from "../compare/distributions.ts";

export interface PowerOptions {
  /** The relative change to see, as a fraction (0.1 for 10 %). */
  change: number;
  /** Two-sided significance level. */
  alpha: number;
  /** Probability of seeing a change of that size. */
  power: number;
}

export const DEFAULT_POWER: PowerOptions = { change: 0.1, alpha: 0.05, power: 0.8 };

/** Estimates beyond this are reported as null ("more than"). */
export const MAX_REPEATS_ESTIMATE = 1000;

/** Repeats per side; 2 when the figure does not move; null for an unknown CV or more than MAX_REPEATS_ESTIMATE. */
export function repeatsToSee(cv: number | null, options: PowerOptions = DEFAULT_POWER): number | null {
  if (cv === null || !Number.isFinite(cv)) return null;
  const ratio = (cv / options.change) ** 2;
  const needed = (a: number, b: number) => 2 * (a + b) ** 2 * ratio;
  const z = needed(normalQuantile(1 - options.alpha / 2), normalQuantile(options.power));
  for (let n = Math.max(2, Math.ceil(z)); n <= MAX_REPEATS_ESTIMATE; n++) {
    const df = 2 * n - 2;
    if (n >= needed(studentTQuantile(1 - options.alpha / 2, df), studentTQuantile(options.power, df)))
      return n;
  }
  return null;
}

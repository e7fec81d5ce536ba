/**
 * "Does it grow?": a least-squares line through a series over the window. Growth is flagged only
 * when the fit is good (a heap's GC sawtooth gives a poor fit and no flag) and the fitted rise
 * over the window is material (≥ 10 % of the series' mean and ≥ 2 MiB for bytes).
 */
import { leastSquares } from "../../statistics/least-squares.ts";

export interface Growth {
  /** Units per second. */
  slopePerSecond: number;
  /** Fitted change over the whole window. */
  fittedChange: number;
  r2: number;
  growing: boolean;
  /** Points fitted and the seconds they span: a fit over a fraction of the window says less. */
  points: number;
  spanSeconds: number;
}

export function fitGrowth(
  points: readonly [number, number][],
  minAbsoluteChange = 2 * 1024 * 1024,
): Growth | undefined {
  if (points.length < 5) return undefined;
  const fit = leastSquares(points);
  if (!fit) return undefined;
  const { slope, r2, n } = fit;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const span = (points[n - 1]?.[0] ?? 0) - (points[0]?.[0] ?? 0);
  const change = slope * span;
  const growing = slope > 0 && r2 >= 0.6 && change >= Math.max(minAbsoluteChange, 0.1 * Math.abs(my));
  return {
    slopePerSecond: Math.round(slope * 100) / 100,
    fittedChange: Math.round(change),
    r2: Math.round(r2 * 1000) / 1000,
    growing,
    points: n,
    spanSeconds: Math.round(span * 10) / 10,
  };
}

/**
 * "Does it grow?": a least-squares line through a series over the window. Growth is flagged only
 * when the fit is good (a heap's GC sawtooth gives a poor fit and no flag) and the fitted rise
 * over the window is material (≥ 10 % of the series' mean and ≥ 2 MiB for bytes).
 */
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
  const n = points.length;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
    syy += (y - my) ** 2;
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
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

/**
 * The ordinary least-squares line through points (x, y) and the share of y's variance it
 * explains. What a fitted line is good for — a cost slope, a memory growth — is judged where it
 * is used (harness/report/chart-data/trend.ts, harness/profile/series/growth.ts).
 */
export interface LinearFit {
  slope: number;
  intercept: number;
  n: number;
  /** Share of the variance of y the line explains (0–1); 1 for a flat series, which it fits exactly. */
  r2: number;
}

/** y = intercept + slope·x; undefined for < 2 points or when every x is the same. */
export function leastSquares(points: ReadonlyArray<readonly [number, number]>): LinearFit | undefined {
  const n = points.length;
  if (n < 2) return undefined;
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
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, n, r2 };
}

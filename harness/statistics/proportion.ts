/**
 * How sure a count of outcomes makes us of their rate: k of n trials → the Wilson score interval
 * for the proportion. Ten trials without a false alarm do not mean a 0 % false-alarm rate; they
 * mean it is below about 28 % at 95 % — the width is what a reader of a gate's trials must see.
 * Wilson's interval stays inside [0, 1] and is not degenerate at k = 0 or k = n (the normal
 * approximation's is).
 */

/** The two-sided standard normal quantile for the confidence levels used here. */
const Z: Record<string, number> = { "0.9": 1.6448536, "0.95": 1.959964, "0.99": 2.5758293 };

export function wilsonInterval(k: number, n: number, confidence = 0.95): [number, number] {
  if (!(n > 0) || k < 0 || k > n)
    throw new RangeError(`wilsonInterval: need 0 ≤ k ≤ n, n > 0; got k=${k} n=${n}`);
  const z = Z[String(confidence)];
  if (z === undefined)
    throw new RangeError(`wilsonInterval: confidence ${confidence} is not one of 0.9, 0.95, 0.99`);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 and k = n the bound on that side is exactly 0 or 1; rounding must not move it.
  return [k === 0 ? 0 : Math.max(0, centre - half), k === n ? 1 : Math.min(1, centre + half)];
}

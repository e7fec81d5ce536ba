/**
 * Whether two values would serialise to the same JSON document (key order aside): an object key
 * holding undefined counts as absent, and undefined or a non-finite number inside an array counts
 * as null, as JSON.stringify writes them. Lets a status write be skipped when nothing changed
 * without two JSON round-trips per reconcile (profiled at 1.2 % of the operator's CPU in a
 * 1000-Site burst). Meant for API object data: plain objects, arrays, strings, numbers, booleans.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return asJsonScalar(a) === asJsonScalar(b);
  }
  const arrayA = Array.isArray(a);
  if (arrayA !== Array.isArray(b)) return false;
  if (arrayA) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!jsonEqual(x[i], y[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let definedInX = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    const v = x[k];
    if (v === undefined) continue;
    definedInX++;
    const w = y[k];
    if (w === undefined || !Object.hasOwn(y, k) || !jsonEqual(v, w)) return false;
  }
  let definedInY = 0;
  for (const k in y) if (Object.hasOwn(y, k) && y[k] !== undefined) definedInY++;
  return definedInX === definedInY;
}

/** How JSON.stringify writes a scalar where a value is required (an array slot): undefined, NaN and ±Infinity become null. */
function asJsonScalar(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v;
}

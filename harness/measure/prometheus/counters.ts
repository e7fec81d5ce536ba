/**
 * A Prometheus counter's increase between two readings: after − before, and where the counter
 * went down (its process restarted between the readings, as in a control-plane failover) what
 * it counted since the restart, i.e. its value after.
 */
export function counterIncrease(before: number, after: number): number {
  return after >= before ? after - before : after;
}

/** counterIncrease per key; a key first seen after counts from 0. */
export function increase(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of after) out.set(k, counterIncrease(before.get(k) ?? 0, v));
  return out;
}

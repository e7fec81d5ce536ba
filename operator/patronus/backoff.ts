/** Retry timing for the Patronus client: capped exponential backoff with full jitter. */

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** attempt 0 is the first retry. Full jitter (AWS's) spreads a fleet of clients apart after an outage. */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap * random());
}

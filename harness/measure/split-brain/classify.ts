/**
 * Which of the replicas' writes were made by a replica that did not hold the leader Lease at
 * that moment, judged against the Lease's history as the apiserver held it (observed by a watch,
 * stamped on this machine's monotonic clock, as every request is):
 *   - another identity held the Lease (or nobody: it was released), or
 *   - the writer held it, but its lease had expired by the record: no renewal observed for the
 *     lease duration, so any other replica was entitled to take it over.
 * Writes before the first observation are not judged. The Lease's own updates are the election
 * itself and not counted.
 *
 * dual_leader_seconds: while one replica held a valid Lease, how long another still wrote — per
 * writer and tenure of the holder, from its first to its last write in that tenure; overlapping
 * spans are counted once.
 */

export interface LeaseObservation {
  /** performance.now() when the watch delivered this state. */
  at: number;
  holder: string;
  renewTime: string;
  leaseDurationSeconds: number;
}

export interface WriteRecord {
  caller: string;
  api: string;
  method: string;
  path: string;
  at: number;
}

export interface StaleWrite extends WriteRecord {
  /** Who held the Lease at the write ("" when nobody did). */
  holder: string;
  why: "other-holder" | "expired";
}

export interface SplitBrainFindings {
  stale: StaleWrite[];
  dualLeaderSeconds: number;
  /** Writes judged (made after the first observation of the Lease). */
  judged: number;
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isWrite(r: Pick<WriteRecord, "method" | "path">, leasePathPrefix: string): boolean {
  return WRITE_METHODS.has(r.method.toUpperCase()) && !r.path.startsWith(leasePathPrefix);
}

interface Tenure {
  /** Index of the observation that began this holder's tenure. */
  id: number;
  holder: string;
  /** Until when (monotonic ms) the record binds others, from the last renewal observed. */
  validUntil: number;
}

/** The Lease as of each observation: holder, tenure and expiry. */
function tenures(history: readonly LeaseObservation[]): Array<{ at: number; tenure: Tenure }> {
  const out: Array<{ at: number; tenure: Tenure }> = [];
  let current: Tenure | undefined;
  let lastRenew = "";
  for (const [i, o] of history.entries()) {
    if (!current || current.holder !== o.holder) {
      current = { id: i, holder: o.holder, validUntil: o.at + o.leaseDurationSeconds * 1000 };
      lastRenew = o.renewTime;
    } else if (o.renewTime !== lastRenew) {
      current = { ...current, validUntil: o.at + o.leaseDurationSeconds * 1000 };
      lastRenew = o.renewTime;
    }
    out.push({ at: o.at, tenure: current });
  }
  return out;
}

export function classifyWrites(
  history: readonly LeaseObservation[],
  writes: readonly WriteRecord[],
): SplitBrainFindings {
  const states = tenures([...history].sort((a, b) => a.at - b.at));
  const stale: StaleWrite[] = [];
  /** [first, last] write of a writer during another holder's valid tenure, by writer and tenure. */
  const spans = new Map<string, [number, number]>();
  let judged = 0;
  for (const w of [...writes].sort((a, b) => a.at - b.at)) {
    const state = stateAt(states, w.at);
    if (!state) continue;
    judged++;
    const valid = w.at < state.validUntil;
    if (state.holder === w.caller && valid) continue;
    stale.push({ ...w, holder: state.holder, why: state.holder === w.caller ? "expired" : "other-holder" });
    if (state.holder !== "" && state.holder !== w.caller && valid) {
      const key = `${w.caller}\u0000${state.id}`;
      const span = spans.get(key);
      if (span) span[1] = w.at;
      else spans.set(key, [w.at, w.at]);
    }
  }
  return { stale, dualLeaderSeconds: unionSeconds([...spans.values()]), judged };
}

function stateAt(states: ReadonlyArray<{ at: number; tenure: Tenure }>, t: number): Tenure | undefined {
  let lo = 0;
  let hi = states.length - 1;
  let found: Tenure | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = states[mid]!;
    if (s.at <= t) {
      found = s.tenure;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function unionSeconds(spans: Array<[number, number]>): number {
  spans.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cur: [number, number] | undefined;
  for (const s of spans) {
    if (cur && s[0] <= cur[1]) cur[1] = Math.max(cur[1], s[1]);
    else {
      if (cur) total += cur[1] - cur[0];
      cur = [s[0], s[1]];
    }
  }
  if (cur) total += cur[1] - cur[0];
  return Math.round(total) / 1000;
}

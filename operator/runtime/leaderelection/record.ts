/**
 * The pure part of leader election (client-go's tryAcquireOrRenew decision), kept free of I/O so
 * it is tested directly. Expiry is judged on the local monotonic clock from the moment this
 * replica last saw the record change, never by comparing wall clocks across machines.
 */
export interface LeaderRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string;
  renewTime: string;
  leaseTransitions: number;
}

export interface Observation {
  record: LeaderRecord;
  /** Monotonic ms when this replica saw the record (or its renewTime) change. */
  observedAtMs: number;
}

export type Decision =
  | { action: "wait"; holder: string }
  | { action: "acquire" | "renew"; record: LeaderRecord };

export function decide(
  observed: Observation | undefined,
  identity: string,
  leaseDurationSeconds: number,
  nowMs: number,
  wallNow: Date,
): Decision {
  const stamp = microTime(wallNow);
  if (!observed) {
    return {
      action: "acquire",
      record: {
        holderIdentity: identity,
        leaseDurationSeconds,
        acquireTime: stamp,
        renewTime: stamp,
        leaseTransitions: 0,
      },
    };
  }
  const rec = observed.record;
  const held = rec.holderIdentity !== "";
  const expired = observed.observedAtMs + rec.leaseDurationSeconds * 1000 <= nowMs;
  if (held && rec.holderIdentity !== identity && !expired)
    return { action: "wait", holder: rec.holderIdentity };
  if (rec.holderIdentity === identity) {
    return { action: "renew", record: { ...rec, leaseDurationSeconds, renewTime: stamp } };
  }
  return {
    action: "acquire",
    record: {
      holderIdentity: identity,
      leaseDurationSeconds,
      acquireTime: stamp,
      renewTime: stamp,
      leaseTransitions: rec.leaseTransitions + 1,
    },
  };
}

/** A record that frees the lease at once (client-go's ReleaseOnCancel). */
export function releasedRecord(rec: LeaderRecord, wallNow: Date): LeaderRecord {
  const stamp = microTime(wallNow);
  return { ...rec, holderIdentity: "", leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp };
}

/** Whether two reads of the lease are the same state (holder and renewal). */
export function sameRecord(a: LeaderRecord, b: LeaderRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}

/** metav1.MicroTime wants six fractional digits; Date gives three. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export interface ElectionTimings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** client-go's own sanity rules, with a message naming the offending flag. */
export function validateTimings(t: ElectionTimings): void {
  if (!(t.leaseDurationMs > t.renewDeadlineMs)) {
    throw new RangeError(
      `--leader-elect-lease-duration (${t.leaseDurationMs} ms) must be greater than --leader-elect-renew-deadline (${t.renewDeadlineMs} ms)`,
    );
  }
  if (!(t.renewDeadlineMs > 1.2 * t.retryPeriodMs)) {
    throw new RangeError(
      `--leader-elect-renew-deadline (${t.renewDeadlineMs} ms) must be greater than 1.2 × --leader-elect-retry-period (${t.retryPeriodMs} ms)`,
    );
  }
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Decision,
  decide,
  type LeaderRecord,
  microTime,
  releasedRecord,
  validateTimings,
} from "./record.ts";

function granted(d: Decision): LeaderRecord {
  if (d.action === "wait") assert.fail(`expected to be granted the lease, but ${d.holder} holds it`);
  return d.record;
}

const wall = new Date("2026-01-01T00:00:00.123Z");
const rec = (holder: string, transitions = 0) => ({
  holderIdentity: holder,
  leaseDurationSeconds: 15,
  acquireTime: microTime(wall),
  renewTime: microTime(wall),
  leaseTransitions: transitions,
});

describe("leader election decision", () => {
  it("acquires a lease nobody holds yet", () => {
    const d = decide(undefined, "a", 15, 0, wall);
    assert.equal(d.action, "acquire");
    assert.equal(granted(d).holderIdentity, "a");
  });

  it("waits while another holder's lease is fresh on the local clock", () => {
    const d = decide({ record: rec("b"), observedAtMs: 1000 }, "a", 15, 1000 + 14_999, wall);
    assert.deepEqual(d, { action: "wait", holder: "b" });
  });

  it("takes over once the lease has not changed for a full lease duration, counting a transition", () => {
    const d = decide({ record: rec("b", 3), observedAtMs: 1000 }, "a", 15, 1000 + 15_000, wall);
    assert.equal(d.action, "acquire");
    assert.equal(granted(d).leaseTransitions, 4);
  });

  it("renews its own lease keeping acquireTime and transitions", () => {
    const mine = rec("a", 2);
    const later = new Date(wall.getTime() + 5000);
    const d = decide({ record: mine, observedAtMs: 0 }, "a", 15, 1_000_000, later);
    assert.equal(d.action, "renew");
    const r = granted(d);
    assert.equal(r.acquireTime, mine.acquireTime);
    assert.equal(r.leaseTransitions, 2);
    assert.equal(r.renewTime, microTime(later));
  });

  it("acquires a released lease immediately", () => {
    const d = decide({ record: releasedRecord(rec("b"), wall), observedAtMs: 5000 }, "a", 15, 5001, wall);
    assert.equal(d.action, "acquire");
  });

  it("formats MicroTime with six fractional digits", () => {
    assert.equal(microTime(wall), "2026-01-01T00:00:00.123000Z");
  });

  it("rejects timings client-go would reject, naming the flag", () => {
    validateTimings({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 });
    assert.throws(
      () => validateTimings({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 }),
      /lease-duration/,
    );
    assert.throws(
      () => validateTimings({ leaseDurationMs: 15_000, renewDeadlineMs: 2000, retryPeriodMs: 2000 }),
      /renew-deadline/,
    );
  });
});

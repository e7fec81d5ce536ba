import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyWrites, isWrite, type LeaseObservation, type WriteRecord } from "./classify.ts";

const LEASES = "/apis/coordination.k8s.io/v1/namespaces/patronus-system/leases";

/** A holder renewing every 2 s from `from` to `to` (ms), lease 15 s. */
function renewals(holder: string, from: number, to: number): LeaseObservation[] {
  const out: LeaseObservation[] = [];
  for (let t = from; t <= to; t += 2000)
    out.push({ at: t, holder, renewTime: `r${t}`, leaseDurationSeconds: 15 });
  return out;
}

const write = (caller: string, at: number, api = "patronus-api"): WriteRecord => ({
  caller,
  api,
  method: "PUT",
  path: "/api/v1/sites/s1",
  at,
});

describe("stale-write classification", () => {
  it("passes a holder's writes while its lease is renewed, and judges nothing before the first observation", () => {
    const history = renewals("a", 1000, 20_000);
    const f = classifyWrites(history, [write("a", 500), write("a", 1500), write("a", 19_000)]);
    assert.deepEqual(f.stale, []);
    assert.equal(f.judged, 2);
    assert.equal(f.dualLeaderSeconds, 0);
  });

  it("flags a paused leader's writes after another replica took the Lease, and measures how long both acted", () => {
    // a renews until 10 s, is frozen; b takes over at 26 s (a's last renewal + 15 s + retry) and renews on.
    const history = [...renewals("a", 0, 10_000), ...renewals("b", 26_000, 60_000)];
    const writes = [
      write("a", 9000),
      write("b", 27_000),
      write("a", 30_500),
      write("a", 33_000),
      write("a", 40_500),
    ];
    const f = classifyWrites(history, writes);
    assert.deepEqual(
      f.stale.map((w) => [w.caller, w.at, w.holder, w.why]),
      [
        ["a", 30_500, "b", "other-holder"],
        ["a", 33_000, "b", "other-holder"],
        ["a", 40_500, "b", "other-holder"],
      ],
    );
    assert.equal(f.dualLeaderSeconds, 10);
  });

  it("flags a holder's writes once its lease expired by the record, though nobody took it yet", () => {
    const history = renewals("a", 0, 10_000);
    const f = classifyWrites(history, [write("a", 24_999), write("a", 25_000), write("a", 26_000)]);
    assert.deepEqual(
      f.stale.map((w) => [w.at, w.why]),
      [
        [25_000, "expired"],
        [26_000, "expired"],
      ],
    );
    assert.equal(f.dualLeaderSeconds, 0, "nobody else led meanwhile");
  });

  it("flags writes after the Lease was released (no holder) and a standby's writes while another leads", () => {
    const history: LeaseObservation[] = [
      ...renewals("a", 0, 4000),
      { at: 5000, holder: "", renewTime: "released", leaseDurationSeconds: 1 },
    ];
    const f = classifyWrites(history, [write("a", 5500), write("c", 3000)]);
    assert.deepEqual(
      f.stale.map((w) => [w.caller, w.holder, w.why]),
      [
        ["c", "a", "other-holder"],
        ["a", "", "other-holder"],
      ],
    );
    assert.equal(f.dualLeaderSeconds, 0, "a single write is a moment, not a span");
  });

  it("counts overlapping dual-leader spans of two stale writers once", () => {
    const history = renewals("b", 0, 60_000);
    const f = classifyWrites(history, [
      write("a", 10_000),
      write("a", 20_000),
      write("c", 15_000),
      write("c", 25_000),
    ]);
    assert.equal(f.stale.length, 4);
    assert.equal(f.dualLeaderSeconds, 15);
  });

  it("counts writes of every verb but reads, and never the Lease's own updates", () => {
    assert.equal(isWrite({ method: "GET", path: "/api/v1/sites" }, LEASES), false);
    assert.equal(isWrite({ method: "PATCH", path: "/apis/sdwan.patronus.io/v1alpha1/x" }, LEASES), true);
    assert.equal(isWrite({ method: "DELETE", path: "/api/v1/sites/a" }, LEASES), true);
    assert.equal(isWrite({ method: "PUT", path: `${LEASES}/patronus-operator` }, LEASES), false);
  });
});

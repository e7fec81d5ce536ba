import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { leaseHeld, leaseNameOf } from "./lease-guard.ts";

describe("lease guard", () => {
  it("finds the Lease name in the operator's extra flags, in either form", () => {
    assert.equal(leaseNameOf([]), "patronus-operator");
    assert.equal(leaseNameOf(["--qps", "5", "--leader-elect-id=bench"]), "bench");
    assert.equal(leaseNameOf(["--leader-elect-id", "other"]), "other");
    assert.equal(leaseNameOf(["--leader-elect-id"]), "patronus-operator", "a flag without its value");
  });

  it("holds a Lease for its duration and a second of skew, not after", () => {
    const now = new Date("2026-11-27T03:00:00Z");
    const ago = (s: number) => new Date(now.getTime() - s * 1000);
    assert.equal(leaseHeld(ago(10), 15, now), true);
    assert.equal(leaseHeld(ago(15.5), 15, now), true);
    assert.equal(leaseHeld(ago(16.5), 15, now), false);
    assert.equal(leaseHeld(ago(0.5), 1, now), true, "a released Lease (1 s) for a moment");
    assert.equal(leaseHeld(undefined, 15, now), false, "never renewed");
  });
});

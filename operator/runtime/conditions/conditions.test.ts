import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findCondition, isTrue, setCondition } from "./conditions.ts";

describe("conditions", () => {
  const t0 = new Date("2026-01-01T00:00:00.500Z");
  const t1 = new Date("2026-01-01T00:05:00Z");

  it("adds a condition with a transition time in RFC 3339 seconds", () => {
    const list = setCondition(
      undefined,
      { type: "Ready", status: "False", reason: "Pending", observedGeneration: 1 },
      t0,
    );
    assert.deepEqual(list, [
      {
        type: "Ready",
        status: "False",
        reason: "Pending",
        message: "",
        lastTransitionTime: "2026-01-01T00:00:00Z",
        observedGeneration: 1,
      },
    ]);
  });

  it("keeps lastTransitionTime when only the reason or message changes", () => {
    const a = setCondition(undefined, { type: "Ready", status: "False", reason: "Pending" }, t0);
    const b = setCondition(
      a,
      { type: "Ready", status: "False", reason: "ApiUnavailable", message: "503" },
      t1,
    );
    assert.equal(findCondition(b, "Ready")?.lastTransitionTime, "2026-01-01T00:00:00Z");
    assert.equal(findCondition(b, "Ready")?.reason, "ApiUnavailable");
    const c = setCondition(b, { type: "Ready", status: "True", reason: "Synced" }, t1);
    assert.equal(findCondition(c, "Ready")?.lastTransitionTime, "2026-01-01T00:05:00Z");
    assert.equal(isTrue(c, "Ready"), true);
    assert.equal(a.length, 1, "input list not mutated");
    assert.equal(findCondition(a, "Ready")?.reason, "Pending");
  });

  it("keeps one entry per type", () => {
    let list = setCondition(undefined, { type: "Registered", status: "True", reason: "Registered" }, t0);
    list = setCondition(list, { type: "Ready", status: "True", reason: "Synced" }, t0);
    list = setCondition(list, { type: "Registered", status: "True", reason: "Registered" }, t1);
    assert.deepEqual(
      list.map((c) => c.type),
      ["Registered", "Ready"],
    );
  });
});

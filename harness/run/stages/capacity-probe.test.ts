import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Freezable } from "../../faults/freeze.ts";
import { whileFrozen } from "./capacity-probe.ts";

function fake(label: string, log: string[], failFreeze = false): Freezable {
  return {
    label,
    how: "test",
    freeze: async () => {
      if (failFreeze) throw new Error(`cannot freeze ${label}`);
      log.push(`freeze ${label}`);
    },
    thaw: async () => {
      log.push(`thaw ${label}`);
    },
  };
}

describe("whileFrozen (the end probe's frozen operator)", () => {
  it("runs the work with every replica frozen and thaws them after", async () => {
    const log: string[] = [];
    const out = await whileFrozen([fake("a", log), fake("b", log)], async () => {
      log.push("work");
      return 7;
    });
    assert.equal(out, 7);
    assert.deepEqual(log, ["freeze a", "freeze b", "work", "thaw a", "thaw b"]);
  });

  it("thaws them when the work fails", async () => {
    const log: string[] = [];
    await assert.rejects(
      whileFrozen([fake("a", log)], async () => {
        throw new Error("probe failed");
      }),
      /probe failed/,
    );
    assert.deepEqual(log, ["freeze a", "thaw a"]);
  });

  it("thaws the ones already frozen when a later freeze fails, and does not run the work", async () => {
    const log: string[] = [];
    await assert.rejects(
      whileFrozen([fake("a", log), fake("b", log, true)], async () => {
        log.push("work");
      }),
      /cannot freeze b/,
    );
    assert.deepEqual(log, ["freeze a", "thaw a"]);
  });
});

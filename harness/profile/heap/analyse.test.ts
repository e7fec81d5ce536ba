import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyseHeapProfile, parseHeapProfile } from "./analyse.ts";

const f = (functionName: string, url = "", lineNumber = 0) => ({
  functionName,
  scriptId: "1",
  url,
  lineNumber,
  columnNumber: 0,
});

describe("sampling heap profile analysis", () => {
  it("ranks allocation sites by bytes and groups them by module", () => {
    const profile = parseHeapProfile(
      {
        head: {
          callFrame: f("(root)"),
          selfSize: 0,
          id: 1,
          children: [
            {
              callFrame: f("onEvent", "file:///r/operator/runtime/informer/informer.ts", 10),
              selfSize: 3000,
              id: 2,
              children: [{ callFrame: f("parse"), selfSize: 5000, id: 3, children: [] }],
            },
            {
              callFrame: f("reconcile", "file:///r/operator/controllers/site/controller.ts", 28),
              selfSize: 1000,
              id: 4,
              children: [{ callFrame: f("Array"), selfSize: 1000, id: 5, children: [] }],
            },
          ],
        },
      },
      "test",
    );
    const a = analyseHeapProfile(profile);
    assert.equal(a.sampledBytes, 10_000);
    assert.deepEqual(
      a.sites.map((s) => [s.function, s.bytes, s.percent]),
      [
        ["parse", 5000, 50],
        ["onEvent (operator/runtime/informer/informer.ts:11)", 3000, 30],
        ["reconcile (operator/controllers/site/controller.ts:29)", 1000, 10],
        ["Array", 1000, 10],
      ],
    );
    const by = Object.fromEntries(a.modules.map((m) => [m.module, m.bytes]));
    assert.deepEqual(by, { serialization: 5000, informers: 3000, controllers: 2000 });
  });

  it("rejects something that is not a heap profile", () => {
    assert.throws(
      () => parseHeapProfile({ head: { id: 1 } }, "x.heapprofile"),
      /x\.heapprofile is not a sampling heap profile/,
    );
  });
});

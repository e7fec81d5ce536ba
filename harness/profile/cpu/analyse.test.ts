import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { analyseCpuProfile, stackShare } from "./analyse.ts";
import { type CpuProfile, parseCpuProfile, readCpuProfile } from "./cpuprofile.ts";

const FIXTURE = join(import.meta.dirname, "fixtures", "operator-30-sites.cpuprofile");

function frame(functionName: string, url = "", lineNumber = 0) {
  return { functionName, scriptId: "1", url, lineNumber, columnNumber: 0 };
}

/**
 * (root) → reconcile → walk → walk (recursion) → JSON.parse builtin, plus (idle) and a builtin
 * called straight from the workqueue.
 */
function tinyProfile(): CpuProfile {
  const op = "file:///x/operator";
  return {
    nodes: [
      { id: 1, callFrame: frame("(root)"), children: [2, 6, 7] },
      { id: 2, callFrame: frame("reconcile", `${op}/controllers/site/controller.ts`, 28), children: [3] },
      { id: 3, callFrame: frame("walk", `${op}/controllers/site/walk.ts`, 4), children: [4] },
      { id: 4, callFrame: frame("walk", `${op}/controllers/site/walk.ts`, 4), children: [5] },
      { id: 5, callFrame: frame("parse") },
      { id: 6, callFrame: frame("(idle)") },
      { id: 7, callFrame: frame("next", `${op}/runtime/workqueue/queue.ts`, 9), children: [8] },
      { id: 8, callFrame: frame("push") },
    ],
    startTime: 0,
    endTime: 10_000,
    samples: [2, 3, 4, 4, 5, 5, 6, 6, 8, 8],
    timeDeltas: Array(10).fill(1000),
  };
}

describe("CPU profile analysis", () => {
  it("counts self and total samples, recursion once per sample", () => {
    const a = analyseCpuProfile(tinyProfile());
    assert.equal(a.samples, 10);
    assert.equal(a.busyPercent, 80);
    const walk = a.topTotal.find((f) => f.functionName === "walk");
    // Samples on 3, 4, 4, 5, 5: five samples with walk on the stack, never counted twice.
    assert.equal(walk?.totalSamples, 5);
    assert.equal(walk?.selfSamples, 3);
    const reconcile = a.topTotal.find((f) => f.functionName === "reconcile");
    assert.equal(reconcile?.totalSamples, 6);
    assert.equal(reconcile?.totalPercent, 60);
    assert.equal(reconcile?.function, "reconcile (operator/controllers/site/controller.ts:29)");
    assert.equal(a.topSelf[0]?.selfSamples, 3);
  });

  it("groups by module; JSON parse is serialization, other builtins go to their caller's group", () => {
    const a = analyseCpuProfile(tinyProfile());
    const by = Object.fromEntries(a.modules.map((m) => [m.module, m.selfSamples]));
    assert.deepEqual(by, { controllers: 4, serialization: 2, idle: 2, workqueue: 2 });
    assert.equal(a.accountedPercent, 100);
    const push = a.topSelf.find((f) => f.functionName === "push");
    assert.equal(push?.module, "workqueue");
    assert.ok(!a.topSelf.some((f) => f.functionName === "(idle)" || f.functionName === "(root)"));
  });

  it("finds the operator's reconcile functions in a recorded operator profile, ≥ 90 % grouped", async () => {
    const profile = await readCpuProfile(FIXTURE);
    const a = analyseCpuProfile(profile, 500);
    assert.equal(a.samples, profile.samples?.length);
    assert.ok(a.accountedPercent >= 90, `grouped ${a.accountedPercent} %`);
    const reconcilers = a.topTotal.filter(
      (f) => f.functionName === "reconcile" && f.url.startsWith("operator/controllers/"),
    );
    const controllers = new Set(reconcilers.map((f) => f.url.split("/")[2]));
    assert.ok(controllers.has("site") && controllers.has("mesh"), [...controllers].join(","));
    for (const f of reconcilers) assert.equal(f.module, "controllers");
    const sum = a.modules.reduce((s, m) => s + m.selfSamples, 0);
    assert.equal(sum, a.samples);
    for (const f of a.topSelf) assert.ok(f.totalSamples >= f.selfSamples, f.function);
    const selfs = a.topSelf.map((f) => f.selfSamples);
    assert.deepEqual(
      selfs,
      [...selfs].sort((x, y) => y - x),
    );
  });

  it("measures the share of samples under a frame (for before/after figures)", () => {
    const s = stackShare(tinyProfile(), (f) => f.functionName === "walk");
    assert.deepEqual(s, { samples: 5, percent: 50, percentOfBusy: 62.5 });
  });

  it("rejects a file that is not a CPU profile, naming the field", () => {
    assert.throws(
      () => parseCpuProfile({ nodes: [{ id: 1 }], startTime: 0, endTime: 1 }, "x.cpuprofile"),
      /x\.cpuprofile is not a V8 CPU profile: .*nodes/,
    );
  });
});

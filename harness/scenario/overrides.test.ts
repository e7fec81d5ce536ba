import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HarnessError } from "../errors.ts";
import { validateScenario } from "./load.ts";
import { applyOverrides } from "./overrides.ts";

const base = {
  name: "t",
  description: "d",
  phases: [
    { kind: "create", name: "burst", count: 10 },
    { kind: "load", name: "mixed", executor: { type: "constant-arrival-rate", rate: 10, duration: "10s" } },
    { kind: "wait-for", condition: "ready" },
  ],
  thresholds: { lost_updates: ["count==0"] },
};

describe("--set along the scenario schema", () => {
  for (const set of [
    "operator.qps=80",
    "operator.leaderElection.leaseDuration=5s",
    "mesh.topology.type=full",
    "phases[0].count=20",
    "phases[1].executor.rate=50",
    "phases[2].timeout=30s",
    "thresholds.lost_updates[0]=count==1",
    'thresholds.site_ready_latency=["p(99)<500"]',
    "cluster.knobs.etcdOnTmpfs=true",
    'operator.extraArgs=["--verbose"]',
    "operator.resources.cpu=250m",
  ]) {
    it(`accepts ${set}`, () => {
      const input = applyOverrides(base, {
        set: [set, ...(set.startsWith("operator.resources") ? ["operator.runtime=container"] : [])],
      });
      validateScenario(input, "t.ts");
    });
  }

  const refused: Array<[string, RegExp]> = [
    [
      "phases[3].count=1",
      /^--set "phases\[3\]\.count=1": phases has 3 entries: \[0\] create "burst", \[1\] load "mixed", \[2\] wait-for$/,
    ],
    ["phases[2].rate=1", /^--set "phases\[2\]\.rate=1": phases\[2\] has no field "rate"$/],
    ["phases[1].executor.rat=1", /phases\[1\]\.executor has no field "rat" \(did you mean "rate"\?\)/],
    ["operator.leaderElection.lease=5s", /operator\.leaderElection has no field "lease"/],
    ["phases.first.count=1", /phases is a list, "first" is not an index/],
    ["name.x=1", /name is "t", which has no field "x"/],
  ];
  for (const [set, message] of refused) {
    it(`refuses ${set} with one message`, () => {
      assert.throws(
        () => applyOverrides(base, { set: [set] }),
        (err: unknown) =>
          err instanceof HarnessError && message.test(err.message) && !err.message.includes("\n"),
      );
    });
  }

  it("leaves the input untouched", () => {
    const before = structuredClone(base);
    applyOverrides(base, { set: ["phases[0].count=99"] });
    assert.deepEqual(base, before);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ObjectLedger } from "../load/objects/ledger.ts";
import { loadOperatorDefinition } from "../operators/load.ts";
import { loadScenario } from "../scenario/load.ts";
import { createMeasurements, registeredMeasurements } from "./builtin.ts";

async function setup(operator = "reference") {
  const { definition } = await loadScenario("smoke", {});
  return {
    definition,
    operator: (await loadOperatorDefinition(operator)).definition,
    watchesPaths: true,
    ledger: new ObjectLedger(),
    meshName: "bench",
    topology: () => ({ kind: "full" as const }),
    liveSites: () => [],
  };
}

describe("measurement registry", () => {
  it("holds every measurement once, the required ones first", () => {
    const names = registeredMeasurements().map((e) => e.name);
    assert.deepEqual(names.slice(0, 2), ["cr-latency", "path-status"]);
    assert.equal(new Set(names).size, names.length);
    for (const n of [
      "process-usage",
      "operator-metrics",
      "mesh-metrics",
      "apiserver-metrics",
      "lost-updates",
    ])
      assert.ok(names.includes(n), n);
  });

  it("creates what the scenario keeps, in registration order, each named as registered", async () => {
    const created = createMeasurements(await setup(), ["mesh-metrics", "lost-updates"]);
    const names = [...created.keys()];
    assert.ok(!names.includes("mesh-metrics") && !names.includes("lost-updates"));
    assert.deepEqual(
      names,
      registeredMeasurements()
        .map((e) => e.name)
        .filter((n) => created.has(n)),
    );
    for (const [name, m] of created) assert.equal(m.name, name);
  });

  it("refuses an unknown name and a required measurement, saying which can be disabled", async () => {
    const s = await setup();
    assert.throws(
      () => createMeasurements(s, ["cpu"]),
      (err: Error & { fix?: string }) => {
        assert.match(err.message, /unknown measurement "cpu"/);
        assert.match(err.fix ?? "", /process-usage/);
        assert.match(err.fix ?? "", /cr-latency and path-status cannot be disabled/);
        return true;
      },
    );
    assert.throws(() => createMeasurements(s, ["cr-latency"]), /unknown measurement "cr-latency"/);
  });

  it("leaves out what a run cannot take: path-status where it watches no Paths, split-brain without callers", async () => {
    const created = createMeasurements({ ...(await setup()), watchesPaths: false }, []);
    assert.ok(!created.has("path-status"));
    assert.ok(created.has("lost-updates"), "judges the objects there are");
    assert.ok(!created.has("split-brain"), "no replica requests by caller");
    const callers = { requests: () => ({ requests: [], dropped: 0 }) };
    assert.ok(createMeasurements({ ...(await setup()), callers }, []).has("split-brain"));
  });
});

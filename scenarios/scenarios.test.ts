import assert from "node:assert/strict";
import { it } from "node:test";
import { builtinNames, loadScenario } from "../harness/scenario/load.ts";

it("every built-in scenario validates, carries thresholds, and fits its world", async () => {
  const names = builtinNames();
  for (const expected of [
    "smoke",
    "scale-1000",
    "churn",
    "failover-path",
    "failover-site",
    "failover-leader",
    "failover-leader-pause",
    "failover-leader-partition",
    "failover-controlplane",
    "api-outage",
    "soak",
  ]) {
    assert.ok(names.includes(expected), `missing built-in ${expected}`);
  }
  for (const name of names) {
    const { definition } = await loadScenario(name);
    assert.equal(definition.name, name, `${name}: name must match the file`);
    assert.ok(Object.keys(definition.thresholds).length > 0, `${name}: no thresholds`);
    for (const phase of definition.phases) {
      if (phase.kind === "create" && phase.object === "site") {
        assert.ok(phase.count <= definition.mesh.sites, `${name}: creates more sites than the mesh has`);
      }
    }
  }
});

it("--sites resizes scale-1000 and its checkpoints", async () => {
  const { definition } = await loadScenario("scale-1000", { sites: 300 });
  assert.equal(definition.mesh.sites, 300);
  assert.deepEqual(definition.checkpoints, [100, 250, 300]);
  assert.equal((definition.phases[0] as { count: number }).count, 300);
});

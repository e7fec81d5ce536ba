import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT } from "../paths.ts";
import { loadOperatorDefinition } from "./load.ts";

describe("example operator definitions (examples/operators)", () => {
  for (const [file, cpu] of [
    ["reference-cpu-20pct.ts", "0.5"],
    ["reference-cpu-5pct.ts", "0.09"],
  ] as const) {
    it(`${file} loads and starts the reference operator with --reconcile-cpu-ms ${cpu}`, async () => {
      const { definition } = await loadOperatorDefinition(join(REPO_ROOT, "examples", "operators", file));
      const args = definition.start.args;
      const list =
        typeof args === "function"
          ? args({
              concurrency: 4,
              qps: 20,
              burst: 30,
              workqueueQps: 10,
              workqueueBurst: 100,
              leaderElection: { leaseDuration: 15_000, renewDeadline: 10_000, retryPeriod: 2_000 },
              extraArgs: [],
            })
          : args;
      const at = list.indexOf("--reconcile-cpu-ms");
      assert.ok(at >= 0, `no --reconcile-cpu-ms in ${list.join(" ")}`);
      assert.equal(list[at + 1], cpu);
      assert.ok(list.includes("--kubeconfig"), "the reference operator's own flags are kept");
    });
  }
});

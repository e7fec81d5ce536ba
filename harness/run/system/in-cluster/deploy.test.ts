import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Deployment } from "@kubernetes/client-node";
import { generateManifests } from "../../../deploy/index.ts";
import { validateScenario } from "../../../scenario/load.ts";
import { deployInput } from "./deploy.ts";

const def = validateScenario(
  {
    name: "t",
    description: "d",
    namespace: "bench-ns",
    cluster: { provider: "kind" },
    mesh: { sites: 120, regions: 3, telemetryTick: "500ms", seed: 9, runtime: "cluster" },
    operator: {
      replicas: 3,
      qps: 150,
      runtime: "cluster",
      resources: { cpu: "50m", memory: "1Gi" },
      leaderElection: { leaseDuration: "6s", renewDeadline: "4s", retryPeriod: "1s" },
      extraArgs: ["--log-level", "debug"],
    },
    phases: [{ kind: "sleep", duration: "1s" }],
  },
  "s.ts",
);

async function deploymentArgs(name: string) {
  const { objects } = await generateManifests(
    deployInput(def, "patronus-bench:dev", "Never", "t".repeat(24)),
  );
  const d = objects.find((o) => o.kind === "Deployment" && o.metadata?.name === name) as V1Deployment;
  return d.spec?.template.spec?.containers[0];
}

describe("in-cluster deployment of a scenario", () => {
  it("passes the scenario's operator settings to the Deployment, the operator's parser accepting them", async () => {
    const c = await deploymentArgs("patronus-operator");
    const args = c?.args ?? [];
    const after = (flag: string) => args[args.lastIndexOf(flag) + 1];
    assert.equal(after("--namespace"), "bench-ns", "watches the scenario's namespace");
    assert.equal(after("--leader-elect-lease-duration"), "6000ms");
    assert.equal(after("--qps"), "150");
    assert.equal(after("--log-level"), "debug", "the scenario's extra flags come last");
    // Requests never above the scenario's limits (50m is below the default 100m request).
    assert.deepEqual(c?.resources, {
      requests: { cpu: "50m", memory: "128Mi" },
      limits: { cpu: "50m", memory: "1Gi" },
    });
  });

  it("gives the simulator every parameter of the world the harness generates locally", async () => {
    const args = (await deploymentArgs("patronus-mesh"))?.args ?? [];
    for (const flag of ["--sites=120", "--regions=3", "--seed=9", "--tick-ms=500", "--topology=hub-spoke"])
      assert.ok(args.includes(flag), `${flag} in ${args.join(" ")}`);
  });
});

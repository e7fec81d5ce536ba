import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HarnessError } from "../errors.ts";
import { validateScenario } from "./load.ts";
import { applyOverrides } from "./overrides.ts";

const minimal = { name: "t", description: "d", phases: [{ kind: "sleep", duration: "1s" }] };

function withOperator(operator: Record<string, unknown>) {
  return validateScenario({ ...minimal, operator }, "s.ts");
}

function rejects(input: unknown, pattern: RegExp): void {
  assert.throws(
    () => validateScenario(input, "s.ts"),
    (err: unknown) => err instanceof HarnessError && pattern.test(err.message),
  );
}

describe("operator and mesh runtime", () => {
  it("defaults to processes and the dev image, with no limits", () => {
    const def = validateScenario(minimal, "s.ts");
    assert.equal(def.operator.runtime, "process");
    assert.equal(def.operator.image, "patronus-bench:dev");
    assert.equal(def.operator.resources, undefined);
    assert.equal(def.mesh.runtime, "process");
  });

  it("takes pod-like limits for a container, filling the missing one from the pod defaults", () => {
    const def = withOperator({ runtime: "container", resources: { cpu: "250m" } });
    assert.deepEqual(def.operator.resources, { cpu: "250m", memory: "256Mi" });
    const mesh = validateScenario(
      { ...minimal, mesh: { runtime: "container", resources: { cpu: "1", memory: "1Gi" } } },
      "s.ts",
    );
    assert.deepEqual(mesh.mesh.resources, { cpu: "1", memory: "1Gi" });
  });

  it("accepts --set values, numbers included", () => {
    const input = applyOverrides(minimal, {
      set: ["operator.runtime=container", "operator.resources.cpu=2", "operator.resources.memory=512Mi"],
    });
    const def = validateScenario(input, "s.ts");
    assert.deepEqual(def.operator.resources, { cpu: "2", memory: "512Mi" });
  });

  it("names the field and the expected form of a wrong quantity", () => {
    rejects(
      { ...minimal, operator: { runtime: "container", resources: { cpu: "half" } } },
      /operator\.resources\.cpu: must be a Kubernetes CPU quantity such as "500m"/,
    );
    rejects(
      { ...minimal, operator: { runtime: "container", resources: { cpu: "5m" } } },
      /operator\.resources\.cpu: must be at least 10m/,
    );
    rejects(
      { ...minimal, operator: { runtime: "container", resources: { memory: "256m" } } },
      /operator\.resources\.memory: uses "m" \(milli\).*write Mi/,
    );
    rejects(
      { ...minimal, operator: { runtime: "container", resources: { memory: "1Mi" } } },
      /operator\.resources\.memory: must be at least 6Mi/,
    );
    rejects(
      { ...minimal, operator: { runtime: "docker" } },
      /operator\.runtime: expected one of "process", "container", "cluster"/,
    );
    rejects(
      { ...minimal, operator: { runtime: "container", image: "Bad Image" } },
      /operator\.image: must be an image reference/,
    );
  });

  it("refuses limits on a process instead of ignoring them", () => {
    rejects(
      { ...minimal, operator: { resources: { cpu: "500m" } } },
      /operator\.resources: limits apply to operator\.runtime "container" or "cluster" only/,
    );
    rejects(
      { ...minimal, mesh: { resources: { cpu: "1" } } },
      /mesh\.resources: limits apply to mesh\.runtime "container" or "cluster" only/,
    );
  });

  it("runs in the cluster on kind or kubeconfig, operator and simulator together", () => {
    const def = validateScenario(
      {
        ...minimal,
        cluster: { provider: "kind" },
        operator: { runtime: "cluster", resources: { cpu: "1" } },
        mesh: { runtime: "cluster" },
      },
      "s.ts",
    );
    assert.equal(def.operator.runtime, "cluster");
    assert.deepEqual(def.operator.resources, { cpu: "1", memory: "256Mi" });
    rejects(
      { ...minimal, operator: { runtime: "cluster" }, mesh: { runtime: "cluster" } },
      /operator\.runtime: runtime "cluster" deploys pods, and the embedded cluster has no nodes: use cluster\.provider kind or kubeconfig/,
    );
    rejects(
      { ...minimal, cluster: { provider: "kubeconfig" }, operator: { runtime: "cluster" } },
      /mesh\.runtime: operator\.runtime and mesh\.runtime are "cluster" together or not at all/,
    );
    rejects(
      {
        ...minimal,
        cluster: { provider: "kind" },
        operator: { runtime: "cluster" },
        mesh: { runtime: "cluster", image: "other:dev" },
      },
      /mesh\.image: runtime "cluster" deploys one image with two commands: mesh\.image \(other:dev\) must equal operator\.image \(patronus-bench:dev\)/,
    );
    rejects(
      { ...minimal, cluster: { provider: "kind" }, mesh: { runtime: "cluster" } },
      /operator\.runtime: operator\.runtime and mesh\.runtime are "cluster" together/,
    );
  });
});

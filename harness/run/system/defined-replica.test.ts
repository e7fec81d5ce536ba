import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadOperatorDefinition } from "../../operators/load.ts";
import { OperatorConfig } from "../../scenario/schema.ts";
import { replicaCommand } from "./defined-replica.ts";

const values = {
  repoRoot: "/repo",
  node: "/bin/node",
  binary: "/cache/patronus-operator",
  kubeconfig: "/run/sa.kubeconfig",
  namespace: "bench",
  operatorNamespace: "patronus-system",
  patronusUrl: "http://127.0.0.1:9000/c/operator-1-0",
  patronusToken: "t0k",
  patronusTokenFile: "/run/mesh-token",
  metricsPort: "41001",
  healthPort: "41002",
  identity: "operator-1-0",
  replica: "1",
  runDir: "/run",
};

describe("a replica's command line from its definition", () => {
  it("fills the reference operator's flags, the scenario's settings among them", async () => {
    const { definition } = await loadOperatorDefinition("reference");
    const { argv, env } = replicaCommand(
      definition.start,
      // As a run passes them: the scenario's operator settings with its schema's defaults filled.
      OperatorConfig.parse({ concurrency: 7, qps: 40 }) as unknown as Record<string, unknown>,
      values,
    );
    assert.equal(argv[0], "/bin/node");
    assert.ok(argv.includes("/repo/operator/main.ts"), argv.join(" "));
    const flag = (name: string) => argv[argv.indexOf(name) + 1];
    assert.equal(flag("--kubeconfig"), values.kubeconfig);
    assert.equal(flag("--patronus-url"), values.patronusUrl);
    assert.equal(flag("--metrics-port"), "41001");
    assert.equal(flag("--identity"), "operator-1-0");
    assert.equal(flag("--concurrency"), "7");
    assert.equal(flag("--qps"), "40");
    assert.ok(!argv.some((a) => a.includes("{")), "no placeholder left");
    assert.equal(env.MALLOC_ARENA_MAX, "2");
  });

  it("fills the upstream operator's environment (it takes no flags)", async () => {
    const { definition } = await loadOperatorDefinition("patronus-rs");
    const { argv, env } = replicaCommand(definition.start, {}, values);
    assert.deepEqual(argv, ["/cache/patronus-operator"]);
    assert.equal(env.PATRONUS_API_URL, values.patronusUrl);
    assert.equal(env.METRICS_PORT, "41001");
    assert.equal(env.HEALTH_PORT, "41002");
    assert.equal(env.KUBECONFIG, values.kubeconfig);
  });

  it("refuses a placeholder this start has no value for", async () => {
    const { definition } = await loadOperatorDefinition("patronus-rs");
    const { binary: _, ...noBinary } = values;
    assert.throws(() => replicaCommand(definition.start, {}, noBinary), /\{binary\}/);
  });
});

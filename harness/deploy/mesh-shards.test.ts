import assert from "node:assert/strict";
import { it } from "node:test";
import type { V1Deployment, V1Service } from "@kubernetes/client-node";
import { generateManifests } from "./index.ts";

const deployments = (objects: { kind?: string }[]) =>
  objects.filter((o): o is V1Deployment => o.kind === "Deployment");

it("mesh.shards 3: a Deployment + Service per shard and the router under the simulator's name", async () => {
  const { objects } = await generateManifests({
    image: "patronus-bench:test",
    namespace: "ns1",
    mesh: { shards: 3 },
  });
  const names = deployments(objects).map((d) => d.metadata?.name);
  assert.deepEqual(names, [
    "patronus-operator",
    "patronus-mesh-shard-0",
    "patronus-mesh-shard-1",
    "patronus-mesh-shard-2",
    "patronus-mesh",
  ]);
  const args = (name: string) =>
    deployments(objects).find((d) => d.metadata?.name === name)?.spec?.template.spec?.containers[0]?.args ??
    [];
  const after = (list: string[], flag: string) => list[list.indexOf(flag) + 1];
  assert.equal(after(args("patronus-mesh-shard-1"), "--shard"), "1/3");
  assert.equal(
    after(args("patronus-mesh"), "--replicas"),
    [0, 1, 2].map((i) => `http://patronus-mesh-shard-${i}.ns1.svc:8080`).join(","),
  );
  // Every replica and the router generate the same world.
  for (const name of names.filter((n) => n?.startsWith("patronus-mesh"))) {
    assert.equal(after(args(name!), "--sites"), "1000");
    assert.equal(after(args(name!), "--seed"), "1");
  }
  const services = objects.filter((o): o is V1Service => o.kind === "Service").map((s) => s.metadata?.name);
  for (const i of [0, 1, 2]) assert.ok(services.includes(`patronus-mesh-shard-${i}`));
  assert.ok(services.includes("patronus-mesh"), "the operator's Patronus URL reaches the router");
  for (const d of deployments(objects).filter((x) => x.metadata?.name?.startsWith("patronus-mesh-shard"))) {
    assert.deepEqual(d.spec?.selector.matchLabels, { "app.kubernetes.io/name": d.metadata?.name });
  }
});

it("mesh.shards 1 is the single simulator", async () => {
  const { objects } = await generateManifests({ image: "patronus-bench:test" });
  assert.deepEqual(
    deployments(objects).map((d) => d.metadata?.name),
    ["patronus-operator", "patronus-mesh"],
  );
  await assert.rejects(generateManifests({ image: "x", mesh: { shards: 0 } }), /mesh\.shards/);
});

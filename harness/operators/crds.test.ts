import assert from "node:assert/strict";
import { test } from "node:test";
import { droppedFields } from "./check.ts";
import { operatorCrds } from "./crds.ts";
import { type LoadedOperator, OperatorDefinitionSchema } from "./definition.ts";
import { loadOperatorDefinition } from "./load.ts";

const reference = (await loadOperatorDefinition("reference")) as LoadedOperator;

function withCrds(crds: LoadedOperator["definition"]["crds"]): LoadedOperator {
  return { ...reference, definition: OperatorDefinitionSchema.parse({ ...reference.definition, crds }) };
}

const CRD = `---
# Site CRD
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: sites.x.example }
---
# Policy CRD
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: policies.x.example }
`;

test("CRDs come from the definition's files, or from its command's output", async () => {
  const files = await operatorCrds(reference);
  assert.deepEqual(files.map((c) => c.metadata?.name).sort(), [
    "meshes.sdwan.patronus.io",
    "paths.sdwan.patronus.io",
    "policies.sdwan.patronus.io",
    "sites.sdwan.patronus.io",
  ]);
  const printed = await operatorCrds(
    withCrds({ command: ["{node}", "-e", `process.stdout.write(${JSON.stringify(CRD)})`] }),
  );
  assert.deepEqual(
    printed.map((c) => c.metadata?.name),
    ["sites.x.example", "policies.x.example"],
  );
});

test("a CRD command that fails, or prints something else, is an error naming it", async () => {
  await assert.rejects(
    operatorCrds(withCrds({ command: ["{node}", "-e", "console.error('no such type'); process.exit(2)"] })),
    /its CRD command .* failed \(2\): no such type/,
  );
  await assert.rejects(
    operatorCrds(
      withCrds({ command: ["{node}", "-e", "console.log('kind: ConfigMap\\nmetadata: {name: x}')"] }),
    ),
    /expected CustomResourceDefinitions, found a ConfigMap/,
  );
});

test("droppedFields names what the apiserver did not keep, and ignores what it added", () => {
  const written = { a: 1, w: { public_key: "k", endpoints: ["e"] }, gone: undefined };
  assert.deepEqual(
    droppedFields(written, { a: 1, w: { public_key: "k", endpoints: ["e"] }, added: true }),
    [],
  );
  assert.deepEqual(droppedFields(written, { a: 1, w: { endpoints: ["e"] } }), ["spec.w.public_key"]);
  assert.deepEqual(droppedFields(written, { a: 2 }), ["spec.a", "spec.w"]);
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { checkOperator } from "../../../harness/operators/check.ts";
import { loadOperatorDefinition } from "../../../harness/operators/load.ts";

test("the reference definition's CRDs, RBAC and templates hold on a real apiserver", {
  timeout: 120_000,
}, async () => {
  const loaded = await loadOperatorDefinition("reference");
  const lines = await checkOperator(loaded, () => {});
  assert.deepEqual(lines, [
    "CRDs Established: meshes.sdwan.patronus.io, paths.sdwan.patronus.io, policies.sdwan.patronus.io, sites.sdwan.patronus.io",
    "RBAC accepted: 6 cluster rule(s), 1 namespaced Role(s)",
    "Site: created and updated from the template, spec kept whole",
    "Policy: created and updated from the template, spec kept whole",
    "Mesh: created from the template, spec kept whole",
  ]);
});

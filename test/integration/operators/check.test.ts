import assert from "node:assert/strict";
import { test } from "node:test";
import { checkOperator } from "../../../harness/operators/check.ts";
import { loadOperatorDefinition } from "../../../harness/operators/load.ts";

test("the reference definition's CRDs, RBAC and templates hold on a real apiserver", {
  timeout: 120_000,
}, async () => {
  const loaded = await loadOperatorDefinition("reference");
  const lines = await checkOperator(loaded, () => {});
  assert.match(lines.join("\n"), /CRDs Established: .*sites\.sdwan\.patronus\.io/);
  for (const kind of ["Site", "Policy", "Mesh"])
    assert.ok(
      lines.includes(`${kind}: created and updated from the template, spec kept whole`),
      lines.join("\n"),
    );
});

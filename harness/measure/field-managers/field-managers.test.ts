import assert from "node:assert/strict";
import { it } from "node:test";
import { managersOf } from "./field-managers.ts";

it("counts the objects each field manager writes, status apart, the harness's own left out", () => {
  const obj = (...fields: Array<{ manager: string; subresource?: string }>) => ({
    metadata: { managedFields: fields },
  });
  const managers = managersOf([
    obj({ manager: "patronus-bench" }, { manager: "operator-0", subresource: "status" }),
    obj(
      { manager: "patronus-bench" },
      { manager: "operator-1", subresource: "status" },
      { manager: "operator-0", subresource: "status" },
    ),
    obj({ manager: "patronus-bench" }),
  ]);
  assert.deepEqual(
    [...managers],
    [
      ["operator-0 (status)", 2],
      ["operator-1 (status)", 1],
    ],
  );
});

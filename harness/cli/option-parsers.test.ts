import assert from "node:assert/strict";
import { test } from "node:test";
import { nameList } from "./option-parsers.ts";

test("a name list splits on commas, but not on those inside a label set", () => {
  assert.deepEqual(
    nameList(' lost_updates, apiserver_requests_per_object{resource="sites",verb="POST"},x{} '),
    ["lost_updates", 'apiserver_requests_per_object{resource="sites",verb="POST"}', "x{}"],
  );
  assert.deepEqual(nameList("a,,b"), ["a", "b"]);
  assert.equal(nameList(undefined), undefined);
});

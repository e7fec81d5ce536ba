import assert from "node:assert/strict";
import { it } from "node:test";
import { WatchLines } from "./watch-lines.ts";

it("yields each complete line once, holding back a line split across chunks", () => {
  const lines = new WatchLines();
  assert.deepEqual(lines.push('{"type":"ADDED"'), []);
  assert.deepEqual(lines.push(',"n":1}\n{"type":"MOD'), ['{"type":"ADDED","n":1}']);
  assert.deepEqual(lines.push('IFIED"}\n\n{"type":"DELETED"}\n'), [
    '{"type":"MODIFIED"}',
    '{"type":"DELETED"}',
  ]);
  assert.deepEqual(lines.push(""), []);
  assert.deepEqual(lines.push('{"a":"é"}\n'), ['{"a":"é"}']);
});

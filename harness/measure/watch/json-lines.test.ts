import assert from "node:assert/strict";
import { test } from "node:test";
import { JsonLines } from "./json-lines.ts";

test("lines split across chunks, blank lines dropped, the last incomplete line held back", () => {
  const lines = new JsonLines();
  assert.deepEqual(lines.push(Buffer.from('{"a":1}\n{"b"')), ['{"a":1}']);
  assert.deepEqual(lines.push(Buffer.from(":2}\n\n")), ['{"b":2}']);
  assert.deepEqual(lines.push(Buffer.from('{"c":3}')), []);
  assert.deepEqual(lines.push(Buffer.from("\n")), ['{"c":3}']);
});

test("a multi-byte character split between two chunks arrives whole", () => {
  const bytes = Buffer.from('{"name":"Zürich ✓"}\n');
  const cut = bytes.indexOf(0x9c); // inside the three bytes of ✓
  const lines = new JsonLines();
  assert.deepEqual(lines.push(bytes.subarray(0, cut)), []);
  assert.deepEqual(lines.push(bytes.subarray(cut)), ['{"name":"Zürich ✓"}']);
});

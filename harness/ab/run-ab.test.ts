import assert from "node:assert/strict";
import { test } from "node:test";
import { timeLeft } from "./run-ab.ts";

test("a long A/B says how long it has left from the runs so far, nothing before the first run ends", () => {
  assert.equal(timeLeft(0, 60, 0), "");
  assert.equal(timeLeft(4, 60, 4 * 75_000), ", about 70m left");
  assert.equal(timeLeft(59, 60, 59 * 30_000), ", about 30s left");
});

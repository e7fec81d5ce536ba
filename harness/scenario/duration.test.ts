import assert from "node:assert/strict";
import { it } from "node:test";
import { formatDuration, parseDuration } from "./duration.ts";

it("parses compound durations and rejects junk", () => {
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("1m30s"), 90_000);
  assert.equal(parseDuration("2.5s"), 2500);
  assert.equal(parseDuration("1h"), 3_600_000);
  for (const bad of ["", "5", "s", "5 s", "5x", "1m 30s"]) assert.equal(parseDuration(bad), undefined, bad);
  assert.equal(formatDuration(90_000), "1m30s");
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { probeCapacity } from "./capacity-probe.ts";

test("the capacity probe times its rounds of hashing on every worker and stops its threads", async () => {
  const seconds = await probeCapacity({ workers: 2, hashesPerWorker: 20, rounds: 3 });
  assert.ok(seconds > 0 && seconds < 30, `took ${seconds} s`);
  // More work per round takes longer than none at all: the figure is the work, not thread start-up.
  const more = await probeCapacity({ workers: 2, hashesPerWorker: 2000, rounds: 3 });
  assert.ok(more > seconds, `${more} s for 2000 hashes, ${seconds} s for 20`);
});

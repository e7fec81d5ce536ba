import assert from "node:assert/strict";
import { it } from "node:test";
import { burnCpu } from "./controller.ts";

it("burnCpu uses at least the CPU time asked of it (a slower hot path, not a sleep)", () => {
  const before = process.cpuUsage();
  burnCpu(30);
  const used = process.cpuUsage(before);
  assert.ok((used.user + used.system) / 1000 >= 30, `used ${(used.user + used.system) / 1000} ms`);
});

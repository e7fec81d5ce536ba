import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { it } from "node:test";
import { readCgroupUsage } from "./cgroup-usage.ts";

it("reads this process's cgroup accounting from the host's cgroup tree", async () => {
  assert.ok(existsSync("/proc/self/cgroup"), "Linux with /proc (the container runtime needs it)");
  const usage = await readCgroupUsage(process.pid);
  assert.ok(usage, "the cgroup of this process is visible under /sys/fs/cgroup");
  assert.match(usage.version, /^v[12]$/);
  assert.ok(usage.memoryUsageBytes === null || usage.memoryUsageBytes > 1024 * 1024, "memory in use");
  assert.ok(usage.memoryLimitBytes === null || usage.memoryLimitBytes > 0);
  assert.ok(usage.cpuLimitCores === null || usage.cpuLimitCores > 0);
  assert.equal(await readCgroupUsage(2 ** 22 + 4321), undefined, "a pid that does not exist");
});

import assert from "node:assert/strict";
import { it } from "node:test";
import { coresBetween, readProcSample } from "./proc-stat.ts";

it("reads this process's CPU and RSS, and sees CPU work as cores", async () => {
  const a = await readProcSample(process.pid);
  assert.ok(a && a.rssBytes > 10 * 1024 * 1024, "RSS of a Node process is above 10 MiB");
  const until = performance.now() + 300;
  let x = 0;
  while (performance.now() < until) x += Math.sqrt(x + 1); // bounded: 300 ms of CPU
  const b = await readProcSample(process.pid);
  assert.ok(b);
  const cores = coresBetween(a, b);
  // Shared 2-core machine: the spin may get well under a full core, but it must register as CPU.
  assert.ok(cores > 0.15 && cores < 2.5, `cores ${cores} (x=${x > 0})`);
  assert.equal(await readProcSample(2 ** 22 + 12345), undefined);
});

it("fits the RSS slope per second by least squares", async () => {
  const { slopePerSecond } = await import("./process-usage.ts");
  assert.equal(slopePerSecond([[0, 1]]), undefined);
  const points: Array<[number, number]> = [0, 1, 2, 3, 4].map((t) => [
    t * 10,
    1000 + t * 50 + (t % 2 ? 3 : -3),
  ]);
  assert.ok(Math.abs((slopePerSecond(points) ?? 0) - 5) < 0.5);
});

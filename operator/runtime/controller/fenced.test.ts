import assert from "node:assert/strict";
import { test } from "node:test";
import pino from "pino";
import { FencedError } from "../leaderelection/fence.ts";
import { createMetrics } from "../metrics/registry.ts";
import { Controller, FENCED_REQUEUE_MS } from "./controller.ts";

test("a reconcile whose write the fence refused runs again after about a retry period, without growing its backoff", async () => {
  const calls: number[] = [];
  const t0 = performance.now();
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const c = new Controller({
    name: "fenced",
    concurrency: 1,
    metrics: createMetrics(),
    logger: pino({ level: "silent" }),
    reconciler: {
      reconcile: async () => {
        calls.push(performance.now() - t0);
        // Refused five times in a row (a lease renewal overdue on a busy machine), then allowed.
        if (calls.length <= 5) throw new Error("write failed", { cause: new FencedError("write refused") });
        done();
        return undefined;
      },
    },
  });
  c.start();
  c.enqueue("ns/obj");
  await finished;
  await c.stop();
  assert.equal(calls.length, 6);
  // Each retry a fixed FENCED_REQUEUE_MS later: exponential backoff would have made the gaps grow.
  for (let i = 1; i < calls.length; i++) {
    const gap = (calls[i] ?? 0) - (calls[i - 1] ?? 0);
    assert.ok(gap >= FENCED_REQUEUE_MS - 50, `retry ${i} after ${gap} ms`);
  }
  assert.equal(c.queue.numRequeues("ns/obj"), 0, "the refusals are not counted as the object's failures");
});

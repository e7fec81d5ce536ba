import assert from "node:assert/strict";
import { test } from "node:test";
import { DelayQueue } from "./delay-queue.ts";

test("runs entries in due order (ties in insertion order) with one timer", async () => {
  const q = new DelayQueue();
  const order: string[] = [];
  const now = Date.now();
  q.at(now + 30, () => order.push("c"));
  q.at(now + 10, () => order.push("a"));
  q.at(now + 10, () => order.push("b"));
  let nested = false;
  q.at(now + 20, () =>
    q.after(0, () => {
      nested = true;
    }),
  );
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(order, ["a", "b", "c"]);
  assert.ok(nested, "entries added from a running entry are scheduled too");
  assert.equal(q.size, 0);
});

test("stop() drops pending entries", async () => {
  const q = new DelayQueue();
  let ran = false;
  q.after(10, () => {
    ran = true;
  });
  q.stop();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(ran, false);
});

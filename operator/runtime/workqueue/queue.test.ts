import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TokenBucket } from "../ratelimit/token-bucket.ts";
import { RateLimitingQueue } from "./queue.ts";
import { defaultControllerRateLimiter, ItemExponentialFailureRateLimiter } from "./rate-limiters.ts";

function fakeClock(start = 0) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe("ItemExponentialFailureRateLimiter", () => {
  it("doubles from 5 ms per failure and caps at 1000 s", () => {
    const l = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    assert.deepEqual([l.when("a"), l.when("a"), l.when("a"), l.when("a")], [5, 10, 20, 40]);
    for (let i = 0; i < 40; i++) l.when("a");
    assert.equal(l.when("a"), 1_000_000);
    assert.equal(l.when("b"), 5, "items back off independently");
    l.forget("a");
    assert.equal(l.when("a"), 5);
  });
});

describe("TokenBucket", () => {
  it("grants the burst, then spaces reservations at 1/qps", () => {
    const c = fakeClock();
    const b = new TokenBucket(10, 100, c.now);
    for (let i = 0; i < 100; i++) assert.equal(b.reserve(), 0);
    assert.equal(Math.round(b.reserve()), 100);
    assert.equal(Math.round(b.reserve()), 200);
    assert.equal(b.tryTake(), false);
    c.advance(1000);
    // 10 tokens refilled, two already borrowed.
    let granted = 0;
    while (b.tryTake()) granted++;
    assert.equal(granted, 8);
  });

  it("refills only up to the burst", () => {
    const c = fakeClock();
    const b = new TokenBucket(5, 3, c.now);
    c.advance(60_000);
    let granted = 0;
    while (b.tryTake()) granted++;
    assert.equal(granted, 3);
  });
});

describe("default controller rate limiter", () => {
  it("is the max of per-item backoff and the overall bucket", () => {
    const c = fakeClock();
    const l = defaultControllerRateLimiter({ now: c.now });
    // Burst of 100 distinct items costs nothing beyond the 5 ms first backoff.
    for (let i = 0; i < 100; i++) assert.equal(l.when(`k${i}`), 5);
    // The 101st item is held by the bucket (10 qps) rather than its own 5 ms.
    assert.equal(Math.round(l.when("k100")), 100);
  });
});

describe("RateLimitingQueue", () => {
  it("de-duplicates queued keys", async () => {
    const q = new RateLimitingQueue({ rateLimiter: defaultControllerRateLimiter() });
    q.add("a");
    q.add("a");
    q.add("b");
    assert.equal(q.length, 2);
    assert.equal((await q.get()).key, "a");
    assert.equal((await q.get()).key, "b");
  });

  it("never hands a key to two workers; a re-add while processing runs after done()", async () => {
    const q = new RateLimitingQueue({ rateLimiter: defaultControllerRateLimiter() });
    q.add("a");
    const first = await q.get();
    q.add("a");
    assert.equal(q.length, 0, "dirty key waits for done() while it is processing");
    q.add("a");
    q.done("a");
    assert.equal(q.length, 1, "re-queued exactly once");
    assert.equal((await q.get()).key, first.key);
  });

  it("wakes a waiting worker on add and ends workers on shutdown", async () => {
    const q = new RateLimitingQueue({ rateLimiter: defaultControllerRateLimiter() });
    const pending = q.get();
    q.add("x");
    assert.deepEqual(await pending, { key: "x", shutdown: false });
    const idle = q.get();
    await q.shutdown();
    assert.deepEqual(await idle, { key: undefined, shutdown: true });
    q.add("y");
    assert.equal(q.length, 0, "no adds after shutdown");
  });

  it("after shutdown hands out no queued key", async () => {
    const q = new RateLimitingQueue({ rateLimiter: defaultControllerRateLimiter() });
    q.add("a");
    q.add("b");
    await q.shutdown();
    assert.deepEqual(await q.get(), { key: undefined, shutdown: true });
  });

  it("shutdown with drain waits for in-flight keys", async () => {
    const q = new RateLimitingQueue({ rateLimiter: defaultControllerRateLimiter() });
    q.add("a");
    await q.get();
    let drained = false;
    const p = q.shutdown(true).then(() => (drained = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(drained, false);
    q.done("a");
    await p;
    assert.equal(drained, true);
  });

  it("addRateLimited backs off exponentially per key and forget resets it", () => {
    const c = fakeClock();
    const q = new RateLimitingQueue({
      rateLimiter: new ItemExponentialFailureRateLimiter(5, 1000),
      now: c.now,
    });
    q.addRateLimited("a");
    q.flushDelayed();
    assert.equal(q.length, 0);
    c.advance(5);
    q.flushDelayed();
    assert.equal(q.length, 1);
    assert.equal(q.numRequeues("a"), 1);
    q.addRateLimited("a"); // already queued: its backoff grows but no duplicate
    c.advance(10);
    q.flushDelayed();
    assert.equal(q.length, 1);
    q.forget("a");
    assert.equal(q.numRequeues("a"), 0);
  });

  it("addAfter keeps the earliest deadline for a key", () => {
    const c = fakeClock();
    const q = new RateLimitingQueue({ rateLimiter: defaultControllerRateLimiter(), now: c.now });
    q.addAfter("a", 1000);
    q.addAfter("a", 100);
    q.addAfter("a", 5000);
    assert.equal(q.waitingLength, 1);
    c.advance(100);
    q.flushDelayed();
    assert.equal(q.length, 1);
    assert.equal(q.waitingLength, 0);
  });

  it("delayed adds fire on the real timer", async () => {
    const q = new RateLimitingQueue({ rateLimiter: defaultControllerRateLimiter() });
    q.addAfter("late", 30);
    q.addAfter("early", 10);
    assert.equal((await q.get()).key, "early");
    assert.equal((await q.get()).key, "late");
  });

  it("reports how long in-flight keys have been processing", async () => {
    const c = fakeClock();
    const q = new RateLimitingQueue({ rateLimiter: defaultControllerRateLimiter(), now: c.now });
    q.add("a");
    q.add("b");
    await q.get();
    c.advance(2000);
    await q.get();
    c.advance(1000);
    assert.deepEqual([...q.processingAges()].sort(), [1, 3]);
    q.done("a");
    assert.deepEqual([...q.processingAges()], [1]);
  });

  it("reports adds, depth, queue and work durations", async () => {
    const c = fakeClock();
    const seen = {
      adds: 0,
      depth: [] as number[],
      retries: 0,
      queued: [] as number[],
      worked: [] as number[],
    };
    const q = new RateLimitingQueue({
      rateLimiter: defaultControllerRateLimiter({ now: c.now }),
      now: c.now,
      metrics: {
        add: () => seen.adds++,
        depth: (n) => seen.depth.push(n),
        retry: () => seen.retries++,
        queued: (s) => seen.queued.push(s),
        worked: (s) => seen.worked.push(s),
      },
    });
    q.add("a");
    q.add("a");
    c.advance(250);
    await q.get();
    c.advance(500);
    q.done("a");
    q.addRateLimited("a");
    assert.equal(seen.adds, 1);
    assert.deepEqual(seen.queued, [0.25]);
    assert.deepEqual(seen.worked, [0.5]);
    assert.equal(seen.retries, 1);
    assert.equal(seen.depth.at(-1), 0);
  });
});

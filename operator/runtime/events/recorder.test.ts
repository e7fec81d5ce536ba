import assert from "node:assert/strict";
import { test } from "node:test";
import pino from "pino";
import type { RestClient } from "../kube/rest-client.ts";
import { createMetrics } from "../metrics/registry.ts";
import { TokenBucket } from "../ratelimit/token-bucket.ts";
import { EventRecorder } from "./recorder.ts";

function site(name: string) {
  return {
    apiVersion: "sdwan.patronus.io/v1alpha1",
    kind: "Site",
    metadata: { name, namespace: "default", uid: `uid-${name}` },
  };
}

/** A RestClient that only records when each Event was POSTed. */
function recordingRest(sent: { at: number; name: string }[]): RestClient {
  return {
    create: async (_path: string, body: { regarding: { name: string } }) => {
      sent.push({ at: performance.now(), name: body.regarding.name });
      return body;
    },
  } as unknown as RestClient;
}

function newRecorder(
  sent: { at: number; name: string }[],
  limiter: TokenBucket,
  metrics = createMetrics(),
  bufferSize?: number,
) {
  return new EventRecorder({
    rest: recordingRest(sent),
    controller: "test",
    instance: "test-0",
    metrics,
    logger: pino({ level: "silent" }),
    limiter,
    ...(bufferSize !== undefined ? { bufferSize } : {}),
  });
}

async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!cond() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

test("the sender is paced by the limiter: a burst of events goes out at its rate, in order", async () => {
  const sent: { at: number; name: string }[] = [];
  const recorder = newRecorder(sent, new TokenBucket(20, 1));
  for (const name of ["a", "b", "c", "d"])
    recorder.record(site(name), "Normal", "Registered", "Register", name);
  await until(() => sent.length === 4, 2000);
  assert.deepEqual(
    sent.map((s) => s.name),
    ["a", "b", "c", "d"],
  );
  // 20/s with a burst of 1: never more than 1 + 20/s × the time since the first (timers may fire
  // ~1 ms early). Two events can go back to back when the sender was held up past a token's
  // time — the rate over the burst is what the limiter promises, not each gap.
  for (let i = 1; i < sent.length; i++) {
    const since = sent[i]!.at - sent[0]!.at;
    assert.ok(
      since >= i * 50 - 5,
      `event ${i} sent ${since.toFixed(1)} ms after the first, under ${i} × 50 ms`,
    );
  }
});

test("events beyond the buffer are dropped and counted, not queued without bound", async () => {
  const sent: { at: number; name: string }[] = [];
  const metrics = createMetrics();
  const recorder = newRecorder(sent, new TokenBucket(1000, 1), metrics, 2);
  for (const name of ["a", "b", "c", "d", "e"])
    recorder.record(site(name), "Normal", "Registered", "Register", name);
  await until(() => sent.length >= 3, 1000);
  await new Promise((r) => setTimeout(r, 20));
  const dropped = (await metrics.eventsEmitted.get()).values.find((v) => v.labels.outcome === "dropped");
  // The first went straight to the sender; two waited in the buffer; the last two were dropped.
  assert.equal(sent.length, 3);
  assert.equal(dropped?.value, 2);
});

test("close() stops the sender: buffered events are not posted after it", async () => {
  const sent: { at: number; name: string }[] = [];
  const recorder = newRecorder(sent, new TokenBucket(10, 1));
  for (const name of ["a", "b", "c"]) recorder.record(site(name), "Normal", "Registered", "Register", name);
  await until(() => sent.length === 1, 1000);
  recorder.close();
  await new Promise((r) => setTimeout(r, 250));
  assert.deepEqual(
    sent.map((s) => s.name),
    ["a"],
  );
});

import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { describe, it } from "node:test";
import { decodeWriteRequest, seriesLabels, type TimeSeries } from "./protocol.ts";
import { RemoteWriteQueue, redactedUrl } from "./queue.ts";

/** A loopback receiver answering every request with `status`; collects what it is sent. */
async function receiver(
  status: () => number,
): Promise<{ url: string; server: Server; bodies: TimeSeries[][]; requests: number }> {
  const state = { bodies: [] as TimeSeries[][], requests: 0 };
  const server = createServer(async (req: IncomingMessage, res) => {
    state.requests++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    assert.equal(req.headers["content-encoding"], "snappy");
    assert.equal(req.headers["x-prometheus-remote-write-version"], "0.1.0");
    const code = status();
    if (code < 300) state.bodies.push(decodeWriteRequest(new Uint8Array(Buffer.concat(chunks))));
    res.writeHead(code).end(code < 300 ? "" : "nope");
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as { port: number };
  return Object.assign(state, { url: `http://127.0.0.1:${port}/api/v1/write`, server }) as never;
}

function samples(n: number, name = "m"): TimeSeries[] {
  return [
    {
      labels: seriesLabels(name, {}),
      samples: Array.from({ length: n }, (_, i) => ({ value: i, timestamp: 1000 + i })),
    },
  ];
}

const FAST = { initialBackoffMs: 5, maxBackoffMs: 20 };

describe("remote-write queue", () => {
  it("delivers in order in batches and counts what arrived", async () => {
    const r = await receiver(() => 204);
    const q = new RemoteWriteQueue(r.url, { ...FAST, batchSize: 3 });
    q.push(samples(7));
    await q.close(5_000);
    r.server.close();
    assert.equal(q.sent, 7);
    assert.equal(q.dropped, 0);
    assert.equal(r.bodies.length, 3);
    assert.deepEqual(
      r.bodies.flatMap((b) => b.flatMap((s) => s.samples.map((x) => x.value))),
      [0, 1, 2, 3, 4, 5, 6],
    );
  });

  it("retries a failing endpoint with backoff and delivers once it answers", async () => {
    let calls = 0;
    const r = await receiver(() => (++calls <= 3 ? 503 : 204));
    const q = new RemoteWriteQueue(r.url, FAST);
    q.push(samples(4));
    await q.close(5_000);
    r.server.close();
    assert.equal(r.requests, 4);
    assert.equal(q.sent, 4);
    assert.equal(q.dropped, 0);
  });

  it("an endpoint that refuses the data (400) has the batch dropped and counted, not retried", async () => {
    const r = await receiver(() => 400);
    const q = new RemoteWriteQueue(r.url, FAST);
    q.push(samples(5));
    await q.close(5_000);
    r.server.close();
    assert.equal(r.requests, 1);
    assert.equal(q.sent, 0);
    assert.equal(q.dropped, 5);
    assert.match(q.lastError ?? "", /400: nope/);
  });

  it("an unreachable endpoint never blocks push: beyond capacity samples are dropped, the rest at the deadline", async () => {
    // A port nothing listens on: every attempt is refused at connect.
    const r = await receiver(() => 204);
    const url = r.url;
    await new Promise((ok) => r.server.close(ok));
    const q = new RemoteWriteQueue(url, { ...FAST, capacity: 10 });
    q.push(samples(25));
    assert.equal(q.queued, 10);
    assert.equal(q.dropped, 15);
    await q.close(200);
    assert.equal(q.sent, 0);
    assert.equal(q.dropped, 25);
    assert.equal(q.queued, 0);
    assert.ok(q.lastError);
  });

  it("credentials in the URL are sent as basic auth, never in the URL, and redacted where shown", async () => {
    const seen: Array<{ authorization?: string; url?: string }> = [];
    const r = await receiver(() => 204);
    r.server.prependListener("request", (req: IncomingMessage) =>
      seen.push({ authorization: req.headers.authorization, url: req.url }),
    );
    const withCredentials = r.url.replace("http://", "http://bench:s%3Acret@");
    const q = new RemoteWriteQueue(withCredentials, FAST);
    q.push(samples(1));
    await q.close(5_000);
    r.server.close();
    assert.equal(q.sent, 1);
    assert.equal(seen[0]?.authorization, `Basic ${Buffer.from("bench:s:cret").toString("base64")}`);
    assert.equal(q.url, r.url);
    assert.equal(redactedUrl(withCredentials), r.url.replace("http://", "http://bench:***@"));
    assert.equal(redactedUrl(r.url), r.url);
  });

  it("an endpoint that accepts and never answers holds nothing up: push returns at once, close ends at its deadline", async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((ok) => hanging.listen(0, "127.0.0.1", ok));
    const { port } = hanging.address() as { port: number };
    const q = new RemoteWriteQueue(`http://127.0.0.1:${port}/api/v1/write`, {
      ...FAST,
      requestTimeoutMs: 60_000,
    });
    q.push(samples(3));
    assert.equal(q.queued, 3, "queued, not sent: push does not wait for the request");
    await q.close(200);
    hanging.closeAllConnections();
    hanging.close();
    assert.deepEqual([q.sent, q.dropped, q.queued], [0, 3, 0]);
  });
});

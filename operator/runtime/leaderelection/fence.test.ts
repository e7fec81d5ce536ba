import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { Agent } from "undici";
import { FencedError, fencing } from "./fence.ts";

describe("the write fence on an HTTP client", () => {
  let server: Server;
  let origin = "";
  const seen: string[] = [];
  /** Requests to /slow are answered when this is called. */
  let release: () => void = () => {};

  before(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      if (req.url === "/slow") release = () => res.end("slow");
      else res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => server.close());

  it("lets reads through and refuses writes while the fence refuses, before anything is sent", async () => {
    seen.length = 0;
    let open = false;
    const agent = new Agent();
    const client = agent.compose(
      fencing({ refusal: () => (open ? undefined : new FencedError("lease may have expired")) }),
    );
    try {
      const read = await client.request({ origin, path: "/r", method: "GET" });
      assert.equal(await read.body.text(), "ok");
      await assert.rejects(client.request({ origin, path: "/w", method: "PUT", body: "{}" }), FencedError);
      open = true;
      const write = await client.request({ origin, path: "/w2", method: "DELETE" });
      assert.equal(await write.body.text(), "ok");
      assert.deepEqual(seen, ["GET /r", "DELETE /w2"]);
    } finally {
      await agent.close();
    }
  });

  it("judges a write when it goes out, not when it was queued: one waiting for a busy connection is refused if the fence closed meanwhile", async () => {
    seen.length = 0;
    let open = true;
    const agent = new Agent({ connections: 1 });
    const client = agent.compose(
      fencing({ refusal: () => (open ? undefined : new FencedError("lease may have expired")) }),
    );
    try {
      const slow = client.request({ origin, path: "/slow", method: "GET" });
      await new Promise((r) => setTimeout(r, 100));
      // Queued behind the slow read on the only connection; the fence allowed it when it was made.
      const queued = client.request({ origin, path: "/queued", method: "POST", body: "x" });
      open = false;
      release();
      assert.equal(await (await slow).body.text(), "slow");
      await assert.rejects(queued, FencedError);
      assert.deepEqual(seen, ["GET /slow"]);
    } finally {
      await agent.close();
    }
  });
});

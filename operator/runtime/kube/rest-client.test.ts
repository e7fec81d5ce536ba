import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { Pool } from "undici";
import { KubeApiError, RestClient } from "./rest-client.ts";

describe("RestClient errors", () => {
  it("carry the Retry-After of a 429 answer, where the workqueue reads it", async (t) => {
    // Answers as kube-apiserver's API Priority and Fairness does when a level's queue is full.
    const server = createServer((req, res) => {
      req.resume();
      const full = req.url?.includes("full");
      res.writeHead(full ? 429 : 404, {
        "content-type": "application/json",
        ...(full ? { "retry-after": "1" } : {}),
      });
      res.end(
        JSON.stringify({
          kind: "Status",
          status: "Failure",
          reason: full ? "TooManyRequests" : "NotFound",
          message: full ? "Too many requests, please try again later." : "not found",
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    t.after(() => new Promise((resolve) => server.close(resolve)));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const rest = new RestClient(
      {
        server: origin,
        dispatcher: async (n) => new Pool(origin, { connections: n }),
        authHeaders: async () => ({}),
      },
      undefined,
      undefined,
    );
    t.after(() => rest.close());
    const full = await rest.send("POST", "/apis/x/v1/namespaces/a/paths/full", { body: {} }).then(
      () => assert.fail("a 429 answer must throw"),
      (e: unknown) => e,
    );
    assert.ok(full instanceof KubeApiError);
    assert.equal(full.status, 429);
    assert.equal(full.reason, "TooManyRequests");
    assert.equal(full.retryAfterMs, 1000);
    const missing = await rest.send("DELETE", "/apis/x/v1/namespaces/a/paths/b").catch((e: unknown) => e);
    assert.ok(missing instanceof KubeApiError);
    assert.equal(missing.retryAfterMs, undefined, "no Retry-After, none made up");
  });
});

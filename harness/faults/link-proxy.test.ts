import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { Agent, request } from "undici";
import { type ForwardedRequest, LinkProxy } from "./link-proxy.ts";
import { createProxyTls } from "./proxy-tls.ts";

describe("a replica's link proxy", () => {
  let upstream: Server;
  let upstreamUrl = "";
  const seen: string[] = [];

  before(async () => {
    upstream = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      req.on("end", () => res.end(`ok ${req.method} ${req.url}`));
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  });
  after(() => upstream.close());

  it("forwards over TLS it terminates, reporting each request's verb and path", async () => {
    const tls = await createProxyTls();
    const forwarded: ForwardedRequest[] = [];
    const proxy = new LinkProxy({
      upstream: upstreamUrl,
      serving: tls,
      onForward: (r) => forwarded.push(r),
    });
    const url = await proxy.listen();
    const dispatcher = new Agent({ connect: { ca: tls.caPem } });
    try {
      const res = await request(`${url}/apis/x/v1/things?watch=false`, {
        method: "PUT",
        body: "{}",
        dispatcher,
      });
      assert.equal(await res.body.text(), "ok PUT /apis/x/v1/things?watch=false");
      assert.deepEqual(
        forwarded.map((f) => [f.method, f.path]),
        [["PUT", "/apis/x/v1/things?watch=false"]],
      );
    } finally {
      await dispatcher.close();
      await proxy.close();
    }
  });

  it("drops everything while partitioned — nothing reaches the API, nothing is answered — and resets those connections when it heals", async () => {
    const forwarded: ForwardedRequest[] = [];
    const proxy = new LinkProxy({ upstream: upstreamUrl, onForward: (r) => forwarded.push(r) });
    const url = await proxy.listen();
    const dispatcher = new Agent({ connections: 1 });
    try {
      await (await request(`${url}/before`, { dispatcher })).body.text();
      proxy.partition();
      seen.length = 0;
      let settled: string | undefined;
      const during = request(`${url}/during`, { method: "POST", body: "x", dispatcher }).then(
        async (r) => {
          settled = `answered ${await r.body.text()}`;
        },
        (err: Error) => {
          settled = `failed ${err.message}`;
        },
      );
      const fresh = new Agent();
      const newConnection = request(`${url}/new-connection`, { dispatcher: fresh }).then(
        () => "answered",
        () => "failed",
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(settled, undefined, "a partitioned link answers nothing");
      assert.deepEqual(seen, [], "nothing sent during the partition reaches the API");
      proxy.heal();
      await during;
      assert.match(settled ?? "", /^failed/, "the connection is reset when the partition ends");
      assert.equal(await newConnection, "failed");
      await fresh.close();
      assert.deepEqual(seen, [], "not even after it ends");
      const res = await request(`${url}/after`, { dispatcher });
      assert.equal(await res.body.text(), "ok GET /after");
      assert.deepEqual(
        forwarded.map((f) => f.path),
        ["/before", "/after"],
      );
    } finally {
      await dispatcher.close();
      await proxy.close();
    }
  });
});

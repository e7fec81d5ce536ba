import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { KubeConfig } from "@kubernetes/client-node";
import { isGone, KubeRequestError, KubeRest, MERGE_PATCH } from "./rest.ts";

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: string;
}

describe("KubeRest", () => {
  let server: Server;
  let rest: KubeRest;
  const seen: Seen[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (req.url?.startsWith("/prefix/gone")) {
          res.writeHead(410, { "content-type": "application/json" });
          res.end(JSON.stringify({ kind: "Status", reason: "Expired", message: "too old resource version" }));
        } else if (req.url?.includes("watch=true")) {
          res.writeHead(200, { "content-type": "application/json" });
          res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":');
          setImmediate(() => res.end('"DELETED","object":{"metadata":{"name":"a"}}}\n'));
        } else {
          res.writeHead(201, { "content-type": "application/json" });
          res.end(JSON.stringify({ echoed: body ? JSON.parse(body) : null }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "c", server: `http://127.0.0.1:${port}/prefix`, skipTLSVerify: true }],
      users: [{ name: "u", token: "secret-token" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    rest = new KubeRest(kc, { connections: 2, userAgent: "patronus-bench" });
  });

  after(async () => {
    await rest.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("sends the body as JSON with the credentials, user agent and query, under the server's path", async () => {
    const answer = await rest.request<{ echoed: unknown }>("PATCH", "/apis/g/v1/x", {
      body: { spec: { a: 1 } },
      contentType: MERGE_PATCH,
      query: { fieldManager: "patronus-bench", dryRun: undefined },
    });
    assert.deepEqual(answer, { echoed: { spec: { a: 1 } } });
    const last = seen.at(-1)!;
    assert.equal(last.method, "PATCH");
    assert.equal(last.url, "/prefix/apis/g/v1/x?fieldManager=patronus-bench");
    assert.equal(last.headers.authorization, "Bearer secret-token");
    assert.equal(last.headers["user-agent"], "patronus-bench");
    assert.equal(last.headers["content-type"], MERGE_PATCH);
  });

  it("turns an error answer into a KubeRequestError with the Status reason", async () => {
    const err = await rest.request("GET", "/gone").catch((e: unknown) => e);
    assert.ok(err instanceof KubeRequestError);
    assert.equal(err.status, 410);
    assert.equal(err.reason, "Expired");
    assert.match(err.message, /GET \/gone: 410 Expired too old resource version/);
    assert.equal(isGone(err), true);
    await assert.rejects(rest.openWatch("/gone", {}, new AbortController().signal), isGone);
  });

  it("opens a watch whose body streams the events", async () => {
    const body = await rest.openWatch("/apis/g/v1/x", { resourceVersion: "7" }, new AbortController().signal);
    let text = "";
    for await (const chunk of body) text += chunk.toString();
    assert.equal(text.trim().split("\n").length, 2);
    assert.equal(seen.at(-1)?.url, "/prefix/apis/g/v1/x?resourceVersion=7&watch=true");
  });
});

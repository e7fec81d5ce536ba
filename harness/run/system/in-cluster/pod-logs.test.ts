import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { savePodLogs } from "./pod-logs.ts";

describe("operator pod logs saved into the run directory", () => {
  let server: Server;
  let core: CoreV1Api;
  const asked: string[] = [];
  before(async () => {
    // An apiserver that knows two pods' logs; the second restarted once.
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      asked.push(`${url.pathname}?${url.searchParams}`);
      const m = url.pathname.match(/^\/api\/v1\/namespaces\/ns\/pods\/([^/]+)\/log$/);
      const previous = url.searchParams.get("previous") === "true";
      const logs: Record<string, string> = {
        "op-a": "a: started\n",
        "op-b": "b: running again\n",
        "op-b.previous": "b: panicked: index out of range\n",
      };
      const text = m ? logs[`${m[1]}${previous ? ".previous" : ""}`] : undefined;
      if (text === undefined) {
        res.writeHead(404, { "content-type": "application/json" }).end('{"kind":"Status","code":404}');
        return;
      }
      res.writeHead(200, { "content-type": "text/plain" }).end(text);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: "c",
          server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          skipTLSVerify: true,
        },
      ],
      users: [{ name: "u" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    core = kc.makeApiClient(CoreV1Api);
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("writes each pod's log and a restarted pod's previous one, bounded, and names what it could not read", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pod-logs-"));
    try {
      const result = await savePodLogs(
        core,
        "ns",
        [
          { pod: "op-a", restarts: 0 },
          { pod: "op-b", restarts: 1 },
          { pod: "op-gone", restarts: 0 },
        ],
        dir,
      );
      assert.deepEqual(result.missing, ["operator-op-gone.log"]);
      assert.deepEqual((await readdir(dir)).sort(), [
        "operator-op-a.log",
        "operator-op-b.log",
        "operator-op-b.previous.log",
      ]);
      assert.equal(
        await readFile(join(dir, "operator-op-b.previous.log"), "utf8"),
        "b: panicked: index out of range\n",
      );
      assert.ok(
        asked.every((q) => q.includes("limitBytes=33554432")),
        asked.join("\n"),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

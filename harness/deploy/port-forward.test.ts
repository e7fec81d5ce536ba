import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import { KubeConfig } from "@kubernetes/client-node";
import { forwardPod } from "./port-forward.ts";

/** A loopback port nothing listens on: the apiserver of the forward is down (restarting). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("forwardPod", () => {
  it("fails the local request, and only it, when the apiserver cannot be reached", async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "down", server: `https://127.0.0.1:${await closedPort()}`, skipTLSVerify: true }],
      users: [{ name: "u", token: "t" }],
      contexts: [{ name: "c", cluster: "down", user: "u" }],
      currentContext: "c",
    });
    const forward = await forwardPod(kc, "default", "patronus-operator-0", 8080);
    try {
      // Twice: the forward keeps serving (and failing) new connections; before the socket had an
      // error listener, the first broken forward ended the process with an uncaught 'error'.
      for (let i = 0; i < 2; i++)
        await assert.rejects(fetch(`${forward.url}/metrics`, { signal: AbortSignal.timeout(10_000) }));
    } finally {
      await forward.close();
    }
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyFrame, displayPath } from "./modules.ts";

describe("module groups of frames", () => {
  const cases: [string, string, string][] = [
    ["reconcile", "file:///a/b/operator/controllers/site/controller.ts", "controllers"],
    ["get", "file:///a/b/operator/runtime/workqueue/queue.ts", "workqueue"],
    ["onEvent", "file:///a/b/operator/runtime/informer/informer.ts", "informers"],
    ["request", "file:///a/b/operator/runtime/kube/rest-client.ts", "api-client"],
    ["renew", "file:///a/b/operator/runtime/leaderelection/elector.ts", "operator-runtime"],
    ["put", "file:///a/b/operator/patronus/client.ts", "patronus-client"],
    ["computeTunnels", "file:///a/b/harness/mesh/topology/tunnels.ts", "tunnel-rule"],
    ["x", "file:///a/node_modules/@kubernetes/client-node/dist/watch.js", "api-client"],
    ["x", "file:///a/node_modules/undici/lib/web/fetch/index.js", "network"],
    ["x", "file:///a/node_modules/zod/v4/core/schemas.js", "validation"],
    ["x", "file:///a/node_modules/pino/lib/proto.js", "logging"],
    ["x", "file:///a/node_modules/prom-client/lib/histogram.js", "metrics"],
    ["x", "file:///a/node_modules/left-pad/index.js", "dependencies"],
    ["emit", "node:events", "node-internal"],
    ["onStreamRead", "node:internal/stream_base_commons", "network"],
    ["(garbage collector)", "", "gc"],
    ["(idle)", "", "idle"],
    ["(program)", "", "program"],
    ["parse", "", "serialization"],
    ["Array.prototype.map", "", "v8-builtin"],
    ["eval", "file:///elsewhere/script.js", "other"],
  ];
  for (const [fn, url, group] of cases) {
    it(`${fn} ${url || "(no url)"} → ${group}`, () => assert.equal(classifyFrame(fn, url), group));
  }

  it("shows paths relative to the repository or node_modules", () => {
    assert.equal(displayPath("file:///ci/clone/operator/manager.ts"), "operator/manager.ts");
    assert.equal(
      displayPath("file:///x/node_modules/undici/lib/core/connect.js"),
      "node_modules/undici/lib/core/connect.js",
    );
    assert.equal(displayPath("node:events"), "node:events");
  });
});

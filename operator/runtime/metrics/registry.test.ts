import assert from "node:assert/strict";
import { test } from "node:test";
import { createMetrics, queueMetricsFor } from "./registry.ts";

async function depthLines(m: ReturnType<typeof createMetrics>): Promise<string[]> {
  const text = await m.registry.metrics();
  return text.split("\n").filter((l) => l.startsWith("workqueue_depth{"));
}

test("workqueue_depth shows each queue's last reported depth when scraped, 0 before any report", async () => {
  const m = createMetrics();
  const site = queueMetricsFor(m, "site");
  queueMetricsFor(m, "mesh");
  assert.deepEqual((await depthLines(m)).sort(), [
    'workqueue_depth{name="mesh",controller="mesh"} 0',
    'workqueue_depth{name="site",controller="site"} 0',
  ]);
  site.depth(7);
  site.depth(5);
  assert.ok((await depthLines(m)).includes('workqueue_depth{name="site",controller="site"} 5'));
  site.depth(0);
  assert.ok((await depthLines(m)).includes('workqueue_depth{name="site",controller="site"} 0'));
});

import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { it } from "node:test";
import type { MeasurementContext } from "../measurement.ts";
import { OperatorMetricsMeasurement } from "./operator-metrics.ts";

/** A replica's /metrics whose process counters advance by `cpu` seconds per scrape. */
async function metricsServer(cpuPerScrape: number, rss: number) {
  let cpu = 10;
  const server = createServer((_, res) => {
    cpu += cpuPerScrape;
    res.end(
      `process_cpu_seconds_total ${cpu}\nprocess_resident_memory_bytes ${rss}\nworkqueue_depth{name="site"} 0\n`,
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    close: () => server.close(),
  };
}

async function seriesWith(pid: number | undefined): Promise<Map<string, number[]>> {
  const a = await metricsServer(0.05, 100e6);
  const b = await metricsServer(0.05, 50e6);
  const points = new Map<string, number[]>();
  const ctx = {
    definition: { sampleInterval: 60 },
    operator: {
      replicas: () => [
        { index: 0, identity: "a", running: true, pid, metricsUrl: a.url },
        { index: 1, identity: "b", running: true, pid, metricsUrl: b.url },
      ],
    },
    store: {
      point: (name: string, value: number) => points.set(name, [...(points.get(name) ?? []), value]),
      count: () => {},
      distribution: () => ({ add: () => {} }),
    },
    events: { record: () => {} },
  } as unknown as MeasurementContext;
  const m = new OperatorMetricsMeasurement();
  await m.start(ctx);
  await new Promise((r) => setTimeout(r, 400));
  await m.stop(ctx);
  a.close();
  b.close();
  return points;
}

it("takes the operator's CPU and RSS from its /metrics when its replicas are no processes of this host", async () => {
  const points = await seriesWith(undefined);
  const rss = points.get("operator_rss_bytes") ?? [];
  assert.ok(rss.length > 0, "RSS series from the pods' metrics");
  assert.ok(
    rss.every((v) => v === 150e6),
    `summed over replicas: ${rss}`,
  );
  assert.ok(
    (points.get("operator_cpu_cores") ?? []).some((v) => v > 0),
    "CPU from process_cpu_seconds_total",
  );
});

it("leaves CPU and RSS to /proc when the replicas are processes here", async () => {
  const points = await seriesWith(process.pid);
  assert.equal(points.get("operator_rss_bytes"), undefined);
  assert.equal(points.get("operator_cpu_cores"), undefined);
  assert.ok((points.get("operator_cpu_cores_reported") ?? []).length > 0, "the cross-check still runs");
});

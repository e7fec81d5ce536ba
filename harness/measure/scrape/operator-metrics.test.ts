import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { it } from "node:test";
import patronusRs from "../../operators/builtin/patronus-rs/index.ts";
import reference from "../../operators/builtin/reference/index.ts";
import type { OperatorDefinition } from "../../operators/definition.ts";
import type { MeasurementContext } from "../measurement.ts";
import { OperatorMetricsMeasurement } from "./operator-metrics.ts";

/** A replica's /metrics whose process counters advance by `cpu` seconds per scrape. */
async function metricsServer(cpuPerScrape: number, rss: number) {
  let cpu = 10;
  let scrapes = 0;
  // Both operators' families, so a test sees which names the measurement reads.
  const server = createServer((_, res) => {
    cpu += cpuPerScrape;
    scrapes++;
    res.end(
      `process_cpu_seconds_total ${cpu}\nprocess_resident_memory_bytes ${rss}\nworkqueue_depth{name="site"} 3\n` +
        `controller_runtime_reconcile_total{controller="site"} ${scrapes * 1000}\n` +
        `controller_runtime_reconcile_errors_total{controller="site"} ${scrapes * 100}\n` +
        // patronus-rs's: no reconciles during the test, one error after the first scrape.
        `patronus_operator_reconcile_total{controller="site",result="success"} 7\n` +
        `patronus_operator_reconcile_errors_total{controller="site",error_type="api"} ${scrapes > 1 ? 4 : 3}\n`,
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    close: () => server.close(),
  };
}

const names = (def: unknown) => (def as OperatorDefinition).metrics;

async function seriesWith(
  pid: number | undefined,
  metricNames = names(reference),
): Promise<{ points: Map<string, number[]>; counters: Map<string, number>; progress: string | undefined }> {
  const a = await metricsServer(0.05, 100e6);
  const b = await metricsServer(0.05, 50e6);
  const points = new Map<string, number[]>();
  const counters = new Map<string, number>();
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
      count: (name: string, by: number) => counters.set(name, (counters.get(name) ?? 0) + by),
      distribution: () => ({ add: () => {} }),
    },
    events: { record: () => {} },
  } as unknown as MeasurementContext;
  const m = new OperatorMetricsMeasurement(metricNames);
  await m.start(ctx);
  // Until each replica was scraped at least twice (its CPU is a rate between scrapes), at most 10 s.
  for (
    let waited = 0;
    waited < 10_000 && (points.get("operator_cpu_cores_reported")?.length ?? 0) < 2;
    waited += 50
  )
    await new Promise((r) => setTimeout(r, 50));
  const progress = m.progress();
  await m.stop(ctx);
  a.close();
  b.close();
  return { points, counters, progress };
}

it("takes the operator's CPU and RSS from its /metrics when its replicas are no processes of this host", async () => {
  const { points } = await seriesWith(undefined);
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
  const { points } = await seriesWith(process.pid);
  assert.equal(points.get("operator_rss_bytes"), undefined);
  assert.equal(points.get("operator_cpu_cores"), undefined);
  assert.ok((points.get("operator_cpu_cores_reported") ?? []).length > 0, "the cross-check still runs");
});

it("reads the operator's own metric names: patronus-rs's reconciles and errors, and no queue it does not export", async () => {
  const { points, counters, progress } = await seriesWith(process.pid, names(patronusRs));
  assert.equal(points.get("workqueue_depth"), undefined, "patronus-rs exports no queue depth");
  const rate = points.get("reconcile_rate") ?? [];
  assert.ok(rate.length > 0 && rate.every((v) => v === 0), `from patronus_operator_reconcile_total: ${rate}`);
  assert.equal(counters.get("reconcile_errors"), 2, "one error per replica, from its own counter");
  assert.match(progress ?? "", /^reconcile \d+\/s errors \d+$/);
});

it("the reference operator's queue depth and counters come from controller-runtime's names", async () => {
  const { points, counters, progress } = await seriesWith(process.pid, names(reference));
  assert.ok(
    (points.get("workqueue_depth") ?? []).every((v) => v === 6),
    "3 per replica",
  );
  assert.ok((counters.get("reconcile_errors") ?? 0) >= 200);
  assert.ok((points.get("reconcile_rate") ?? []).some((v) => v > 0));
  assert.match(progress ?? "", /^queue 6 reconcile \d+\/s errors \d+$/);
});

it("an operator that exports none of them says so on the progress line and records none", async () => {
  const { points, counters, progress } = await seriesWith(process.pid, { others: [] });
  assert.equal(progress, "no reconcile metrics");
  assert.equal(points.get("reconcile_rate"), undefined);
  assert.equal(counters.has("reconcile_errors"), false);
});

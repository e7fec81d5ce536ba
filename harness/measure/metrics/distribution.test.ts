import assert from "node:assert/strict";
import { it } from "node:test";
import { Distribution } from "./distribution.ts";
import { mergeMetrics } from "./merge.ts";
import { MetricStore } from "./store.ts";

it("keeps sub-millisecond resolution and round-trips through the encoded histogram", () => {
  const d = new Distribution("ms");
  for (const v of [0.25, 0.5, 1.5, 12.345, 1000]) d.record(v);
  const m = d.toMetric();
  assert.equal(m.count, 5);
  assert.equal(m.min, 0.25);
  assert.ok(Math.abs(m.max - 1000) / 1000 < 0.001);
  const back = Distribution.decode(m);
  assert.equal(back.count, 5);
  assert.ok(Math.abs(back.percentile(60) - 1.5) < 0.01);
});

it("merges repeats exactly: percentiles of the union, not averages of percentiles", () => {
  const a = new MetricStore(0);
  const b = new MetricStore(0);
  for (let i = 0; i < 900; i++) a.record("lat", 10);
  for (let i = 0; i < 100; i++) b.record("lat", 1000);
  a.count("lost", 1);
  b.count("lost", 2);
  a.gauge("rss", 100, "bytes");
  b.gauge("rss", 300, "bytes");
  a.point("depth", 1, "items", 1000);
  b.point("depth", 2, "items", 1000);
  const merged = mergeMetrics([a.toMetrics(), b.toMetrics()]);
  const lat = merged.lat;
  assert.ok(lat?.type === "distribution");
  assert.equal(lat.count, 1000);
  assert.ok(lat.p50 < 11);
  assert.ok(lat.p99 > 990);
  assert.deepEqual(merged.lost, { type: "counter", unit: "count", value: 3 });
  assert.deepEqual(merged.rss, { type: "gauge", unit: "bytes", value: 200 });
  assert.ok(merged.depth?.type === "series");
  assert.deepEqual(merged.depth.points, [
    [1, 1],
    [3, 2],
  ]);
});

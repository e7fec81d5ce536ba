import assert from "node:assert/strict";
import { it } from "node:test";
import { Distribution } from "./distribution.ts";
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

it("merges exactly: percentiles of the union, not averages of percentiles", () => {
  const a = new Distribution("ms");
  const b = new Distribution("ms");
  for (let i = 0; i < 900; i++) a.record(10);
  for (let i = 0; i < 100; i++) b.record(1000);
  const merged = Distribution.merge([
    Distribution.decode(a.toMetric()),
    Distribution.decode(b.toMetric()),
  ]).toMetric();
  assert.equal(merged.count, 1000);
  assert.ok(merged.p50 < 11);
  assert.ok(merged.p99 > 990);
});

it("emits windowed quantile series for latencies", () => {
  const store = new MetricStore(0);
  for (let i = 1; i <= 100; i++) store.record("lat", i);
  store.flushWindows(2000);
  store.record("lat", 5);
  store.flushWindows(4000);
  const p99 = store.toMetrics()['lat{quantile="0.99"}'];
  assert.ok(p99?.type === "series");
  assert.deepEqual(
    p99.points.map((p) => p[0]),
    [2, 4],
  );
  assert.ok(Math.abs((p99.points[0]?.[1] ?? 0) - 99) < 0.1);
  assert.ok(Math.abs((p99.points[1]?.[1] ?? 0) - 5) < 0.01);
});

it("a labelled latency keeps its labels and the quantile in one set of braces", () => {
  const store = new MetricStore(0);
  store.record('lat{phase="churn"}', 7);
  store.flushWindows(1000);
  const names = Object.keys(store.toMetrics()).filter((n) => n.includes("quantile"));
  assert.deepEqual(names.sort(), [
    'lat{phase="churn",quantile="0.5"}',
    'lat{phase="churn",quantile="0.9"}',
    'lat{phase="churn",quantile="0.99"}',
  ]);
});

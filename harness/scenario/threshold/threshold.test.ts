import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MetricStore } from "../../measure/metrics/store.ts";
import { evaluateThreshold } from "./evaluate.ts";
import { parseThreshold } from "./parse.ts";

describe("threshold parsing", () => {
  it("accepts k6's expressions", () => {
    assert.deepEqual(parseThreshold("p(99)<1000").aggregation, { kind: "percentile", p: 99 });
    assert.deepEqual(parseThreshold("p(99.9) <= 5").aggregation, { kind: "percentile", p: 99.9 });
    const e = parseThreshold(" count == 0 ");
    assert.equal(e.operator, "==");
    assert.equal(e.bound, 0);
    for (const ok of ["avg<1", "min>=0", "max<2", "med<3", "rate<0.01", "value!=4", "count===0"])
      parseThreshold(ok);
  });

  it("explains what is wrong with a bad expression", () => {
    assert.throws(() => parseThreshold("p99<5"), /unknown aggregation "p99"/);
    assert.throws(() => parseThreshold("p(101)<5"), /percentile "101" must be a number from 0 to 100/);
    assert.throws(() => parseThreshold("avg<fast"), /"fast" is not a number/);
    assert.throws(() => parseThreshold("avg"), /expected <aggregation><operator><number>/);
    assert.throws(() => parseThreshold("mean<4"), /unknown aggregation "mean"/);
  });
});

describe("threshold evaluation", () => {
  const store = new MetricStore(0);
  for (let i = 1; i <= 1000; i++) store.record("lat", i);
  store.count("lost_updates", 0);
  store.count("dropped_iterations", 30);
  store.gauge("rss", 100, "bytes");
  store.point("depth", 1, "items", 1000);
  store.point("depth", 9, "items", 2000);
  store.point("depth", 3, "items", 3000);
  const metrics = store.toMetrics();
  const check = (metric: string, expression: string) =>
    evaluateThreshold({ metric, expression, abortOnFail: false }, metrics, 60);

  it("evaluates distributions from the histogram", () => {
    const r = check("lat", "p(99)<1000");
    assert.equal(r.passed, true);
    assert.ok(Math.abs((r.value ?? 0) - 990) < 2, String(r.value));
    assert.equal(check("lat", "p(99)<900").passed, false);
    assert.equal(check("lat", "max<=1000").passed, true);
    assert.equal(check("lat", "count==1000").passed, true);
    assert.ok(Math.abs((check("lat", "avg<1").value ?? 0) - 500.5) < 1);
  });

  it("evaluates counters (count, rate per second), gauges and series", () => {
    assert.equal(check("lost_updates", "count==0").passed, true);
    assert.equal(check("dropped_iterations", "rate<0.6").value, 0.5);
    assert.equal(check("rss", "value<200").passed, true);
    assert.equal(check("depth", "max<10").value, 9);
    assert.equal(check("depth", "value<5").value, 3);
  });

  it("fails a threshold on a metric that was never recorded, or an aggregation that does not apply", () => {
    const missing = check("nope", "count==0");
    assert.equal(missing.passed, false);
    assert.equal(missing.value, null);
    assert.match(missing.reason ?? "", /not recorded/);
    assert.match(check("rss", "p(99)<1").reason ?? "", /does not apply to a gauge/);
  });
});

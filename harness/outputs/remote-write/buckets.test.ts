import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Distribution } from "../../measure/metrics/distribution.ts";
import { bucketBounds, cumulativeBuckets, distributionBuckets } from "./buckets.ts";

describe("histogram buckets of a distribution", () => {
  it("lays out ms as powers of √2 from 1 ms to about 12 minutes, rising, three significant digits", () => {
    const ms = bucketBounds("ms")!;
    assert.deepEqual(ms.slice(0, 8), [1, 1.41, 2, 2.83, 4, 5.66, 8, 11.3]);
    assert.equal(ms.length, 40);
    assert.equal(ms.at(-1), 741_000);
    for (let i = 1; i < ms.length; i++) {
      const ratio = ms[i]! / ms[i - 1]!;
      assert.ok(ratio > 1.4 && ratio < 1.43, `${ms[i - 1]} → ${ms[i]}`);
    }
    assert.deepEqual(bucketBounds("s")!.slice(0, 3), [0.001, 0.00141, 0.002]);
    assert.equal(bucketBounds("objects"), undefined, "a unit without a layout has no buckets");
  });

  it("counts each observation at or below every bound from the recorded histogram: cumulative, +Inf = count", () => {
    const d = new Distribution("ms");
    const values = [0, 0.5, 1, 1.2, 3, 3, 7.9, 8, 250, 1_000, 60_000, 900_000];
    for (const v of values) d.record(v);
    const buckets = distributionBuckets(d)!;
    const bounds = bucketBounds("ms")!;
    assert.equal(buckets.length, bounds.length + 1);
    for (const [i, b] of bounds.entries())
      assert.equal(
        buckets[i]!.count,
        values.filter((v) => v <= b).length,
        `le=${b}: the observations at or below it`,
      );
    assert.deepEqual(buckets.at(-1), { le: "+Inf", count: values.length });
    for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]!.count >= buckets[i - 1]!.count);
    assert.equal(buckets[0]!.le, "1");
    assert.equal(buckets[1]!.le, "1.41");
  });

  it("reads the same counts from results.json's encoded histogram as from the live one", () => {
    const d = new Distribution("ms");
    for (let i = 1; i <= 5_000; i++) d.record((i * 7.3) % 4_000);
    const decoded = Distribution.decode(d.toMetric());
    assert.deepEqual(distributionBuckets(decoded), distributionBuckets(d));
  });

  it("refuses counts that fall as the bound rises or a count per bound missing", () => {
    assert.throws(() => cumulativeBuckets([1, 2], [3, 2], 4), /must not fall/);
    assert.throws(() => cumulativeBuckets([1, 2], [1, 2], 1), /must not fall/, "+Inf below the last bound");
    assert.throws(() => cumulativeBuckets([1, 2], [1], 1), /a count per bound/);
  });
});

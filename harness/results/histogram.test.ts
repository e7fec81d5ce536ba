import assert from "node:assert/strict";
import { test } from "node:test";
import {
  distributionFromValues,
  histogramBuckets,
  mergeDistributions,
  newHistogram,
  recordedBuckets,
  recordValues,
  valueAtPercentile,
} from "./histogram.ts";

test("summaries come from the histogram in the metric's unit, percentiles never above max", () => {
  const d = distributionFromValues([1, 2, 2, 3.5, 100, 250.25], "ms");
  assert.equal(d.count, 6);
  assert.equal(d.min, 1);
  assert.equal(d.p50, 2);
  assert.equal(d.max, 250.25);
  assert.ok(d.p99 <= d.max);
  assert.ok(Math.abs(d.mean - 59.79) < 0.05);
});

test("merging is exact histogram addition, not averaging of percentiles", () => {
  const fast = distributionFromValues(
    Array.from({ length: 900 }, () => 10),
    "ms",
  );
  const slow = distributionFromValues(
    Array.from({ length: 100 }, () => 1000),
    "ms",
  );
  const merged = mergeDistributions([fast, slow]);
  assert.equal(merged.count, 1000);
  assert.ok(Math.abs(merged.p50 - 10) / 10 < 0.001, `p50 ${merged.p50} is the fast mode`);
  assert.ok(Math.abs(merged.p99 - 1000) < 1);
  assert.throws(() => mergeDistributions([fast, { ...slow, unit: "s" }]), /different units/);
});

test("buckets give back the raw samples at histogram precision", () => {
  const d = distributionFromValues([5, 5, 5, 40, 40, 900], "ms");
  const buckets = histogramBuckets(d);
  assert.deepEqual(
    buckets.map((b) => b.count),
    [3, 2, 1],
  );
  assert.ok(Math.abs(buckets[2]!.value - 900) / 900 < 0.001);
  assert.ok(Math.abs(valueAtPercentile(d, 50) - 5) / 5 < 0.001);
});

test("the buckets are the library's recorded values, at any scale, zeros included", () => {
  type Iterated = {
    recordedValuesIterator: {
      reset(): void;
      hasNext(): boolean;
      next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
    };
    medianEquivalentValue(value: number): number;
  };
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (const scale of [1, 250, 60_000, 5e6]) {
    const h = newHistogram();
    recordValues(h, [0, 0.0004, ...Array.from({ length: 3000 }, () => random() * scale)]);
    const it = (h as unknown as Iterated).recordedValuesIterator;
    it.reset();
    const expected: Array<{ value: number; count: number }> = [];
    while (it.hasNext()) {
      const step = it.next();
      if (step.countAtValueIteratedTo > 0)
        expected.push({
          value: (h as unknown as Iterated).medianEquivalentValue(step.valueIteratedTo) / 1000,
          count: step.countAtValueIteratedTo,
        });
    }
    assert.ok(expected.length > 10);
    assert.deepEqual(recordedBuckets(h), expected, `values up to ${scale}`);
  }
});

test("a corrupt histogram is a clear error", () => {
  assert.throws(
    () => histogramBuckets({ histogram: "not-base64!" }, "metrics.x"),
    /metrics\.x: cannot decode/,
  );
});

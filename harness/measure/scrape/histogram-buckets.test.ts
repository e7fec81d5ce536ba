import assert from "node:assert/strict";
import { it } from "node:test";
import { bucketDelta, distributionFromBuckets } from "./histogram-buckets.ts";

it("turns the change of cumulative buckets into a distribution in ms", () => {
  const before: Array<[number, number]> = [
    [0.01, 5],
    [0.1, 8],
    [1, 8],
    [Number.POSITIVE_INFINITY, 8],
  ];
  const after: Array<[number, number]> = [
    [0.01, 95],
    [0.1, 107],
    [1, 108],
    [Number.POSITIVE_INFINITY, 109],
  ];
  const delta = bucketDelta(before, after);
  assert.deepEqual(delta, [
    [0.01, 90],
    [0.1, 9],
    [1, 1],
    [Number.POSITIVE_INFINITY, 1],
  ]);
  const d = distributionFromBuckets(delta);
  assert.equal(d.count, 101);
  assert.ok(Math.abs(d.percentile(50) - 10) < 0.05);
  assert.ok(Math.abs(d.max - 1000) < 1);
});

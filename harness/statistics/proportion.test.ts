import assert from "node:assert/strict";
import { test } from "node:test";
import { wilsonInterval } from "./proportion.ts";

const close = (a: number, b: number) => Math.abs(a - b) < 5e-4;

test("Wilson 95 %: none of 10 is below about 28 %, all of 10 above about 72 %, 5 of 10 about 24–76 %", () => {
  const [lo0, hi0] = wilsonInterval(0, 10);
  assert.equal(lo0, 0);
  assert.ok(close(hi0, 0.2775), String(hi0));
  const [lo10, hi10] = wilsonInterval(10, 10);
  assert.ok(close(lo10, 0.7225), String(lo10));
  assert.equal(hi10, 1);
  const [lo5, hi5] = wilsonInterval(5, 10);
  assert.ok(close(lo5, 0.2366) && close(hi5, 0.7634), `${lo5} ${hi5}`);
  // More trials, narrower: none of 30 is below about 11 %.
  assert.ok(close(wilsonInterval(0, 30)[1], 0.1135));
});

test("refuses counts that are not k of n, and levels it has no quantile for", () => {
  assert.throws(() => wilsonInterval(3, 2), /0 ≤ k ≤ n/);
  assert.throws(() => wilsonInterval(0, 0), /n > 0/);
  assert.throws(() => wilsonInterval(1, 4, 0.8), /confidence 0.8/);
});

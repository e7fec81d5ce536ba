import assert from "node:assert/strict";
import { test } from "node:test";
import {
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  studentTCdf,
  studentTQuantile,
} from "./distributions.ts";
import { mannWhitneyU, welchTTest } from "./tests.ts";

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} is not within ${tol} of ${expected}`);

// R's `sleep` data set (Student 1908): extra sleep hours under two drugs.
const sleep1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const sleep2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

test("distribution functions match reference values (R / scipy)", () => {
  close(logGamma(10), Math.log(362880), 1e-10, "lgamma(10)");
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-10, "lgamma(0.5)");
  close(regularizedBeta(0.4, 2, 3), 0.5248, 1e-10, "pbeta(0.4, 2, 3)");
  close(studentTCdf(2, 10), 0.963306, 1e-6, "pt(2, 10)");
  // Closed forms: df = 1 is Cauchy, df = 2 has an algebraic CDF.
  close(studentTCdf(-1.5, 1), 0.5 + Math.atan(-1.5) / Math.PI, 1e-10, "pt(-1.5, 1)");
  close(studentTCdf(0.7, 2), 0.5 + 0.7 / (2 * Math.sqrt(2 + 0.49)), 1e-10, "pt(0.7, 2)");
  close(studentTQuantile(0.975, 10), 2.228139, 1e-6, "qt(0.975, 10)");
  close(studentTQuantile(0.975, 4), 2.776445, 1e-6, "qt(0.975, 4)");
  close(studentTQuantile(0.975, 1), 12.7062, 1e-4, "qt(0.975, 1)");
  close(normalCdf(1.959964), 0.975, 1e-6, "pnorm(1.96)");
  close(normalCdf(-3), 0.0013499, 1e-6, "pnorm(-3)");
  close(normalQuantile(0.975), 1.959964, 1e-6, "qnorm(0.975)");
  close(normalQuantile(0.001), -3.090232, 1e-6, "qnorm(0.001)");
});

test("Welch's t-test matches R's t.test(extra ~ group, data = sleep)", () => {
  // R: t = -1.8608, df = 17.776, p-value = 0.07939, 95 % CI -3.3654832 0.2054832 (group1 − group2).
  const r = welchTTest(sleep2, sleep1);
  close(r.t, -1.8608, 1e-4, "t");
  close(r.df, 17.776, 1e-3, "df");
  close(r.p, 0.07939, 1e-5, "p");
  close(r.ci[0], -3.3654832, 1e-5, "ci low");
  close(r.ci[1], 0.2054832, 1e-5, "ci high");
});

test("Welch's t-test with constant sides is exact", () => {
  assert.equal(welchTTest([1, 1], [1, 1]).p, 1);
  assert.equal(welchTTest([1, 1], [2, 2]).p, 0);
  assert.throws(() => welchTTest([1], [1, 2]), /at least 2/);
});

test("Mann-Whitney U matches R's wilcox.test(extra ~ group, data = sleep) with ties", () => {
  // R: W = 25.5 (U of group 1), p-value = 0.06933 (normal approximation, continuity correction, ties).
  const asBuckets = (xs: number[]) => xs.map((value) => ({ value, count: 1 }));
  const r = mannWhitneyU(asBuckets(sleep2), asBuckets(sleep1));
  assert.equal(r.u, 25.5);
  close(r.p, 0.06933, 1e-5, "p");
});

test("Mann-Whitney U on weighted buckets equals the expanded samples", () => {
  const base = [
    { value: 1, count: 3 },
    { value: 2, count: 5 },
  ];
  const head = [
    { value: 2, count: 2 },
    { value: 3, count: 4 },
  ];
  const expand = (bs: typeof base) =>
    bs.flatMap((b) => Array.from({ length: b.count }, () => ({ value: b.value, count: 1 })));
  const weighted = mannWhitneyU(base, head);
  const expanded = mannWhitneyU(expand(base), expand(head));
  close(weighted.p, expanded.p, 1e-12, "p");
  assert.equal(weighted.u, expanded.u);
  assert.ok(weighted.probabilityOfSuperiority > 0.5);
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { leastSquares } from "./least-squares.ts";

test("least squares recovers a known line and refuses degenerate input", () => {
  const fit = leastSquares([
    [100, 1.2],
    [250, 1.5],
    [500, 2.0],
    [1000, 3.0],
  ]);
  assert.ok(fit);
  assert.ok(Math.abs(fit.slope - 0.002) < 1e-12);
  assert.ok(Math.abs(fit.intercept - 1.0) < 1e-9);
  assert.equal(leastSquares([[1, 1]]), undefined);
  assert.equal(
    leastSquares([
      [5, 1],
      [5, 2],
    ]),
    undefined,
  );
});

test("a flat series is fitted exactly: slope 0, R² 1", () => {
  const fit = leastSquares([
    [0, 7],
    [1, 7],
    [2, 7],
  ]);
  assert.deepEqual(fit && { slope: fit.slope, r2: fit.r2 }, { slope: 0, r2: 1 });
});

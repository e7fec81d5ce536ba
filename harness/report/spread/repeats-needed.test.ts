import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_REPEATS_ESTIMATE, repeatsToSee } from "./repeats-needed.ts";

// Two-sample t-test at α 0.05 (two-sided), power 0.8: the standard table gives 6, 17, 26 and 64
// per group for effect sizes 2, 1, 0.8 and 0.5 — here change / CV with a 10 % change.
test("repeats per side to see a 10 % change match the t-test's sample-size table", () => {
  assert.equal(repeatsToSee(0.05), 6);
  assert.equal(repeatsToSee(0.1), 17);
  assert.equal(repeatsToSee(0.125), 26);
  assert.equal(repeatsToSee(0.2), 64);
});

test("a larger change needs fewer repeats; a figure that does not move needs the minimum", () => {
  assert.equal(repeatsToSee(0.2, { change: 0.2, alpha: 0.05, power: 0.8 }), 17);
  assert.equal(repeatsToSee(0), 2);
});

test("an unknown CV, or one needing more than the estimate's cap, has no number", () => {
  assert.equal(repeatsToSee(null), null);
  assert.equal(repeatsToSee(1), null);
  assert.ok((repeatsToSee(0.5) ?? Infinity) <= MAX_REPEATS_ESTIMATE);
});

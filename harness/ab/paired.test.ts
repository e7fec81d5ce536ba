import assert from "node:assert/strict";
import { test } from "node:test";
import { SeededRandom } from "../random/seeded.ts";
import { pairedRatio, runOrder } from "./paired.ts";

const pairsOf = (base: number[], head: number[]) => base.map((b, i) => ({ base: b, head: head[i] }));

test("runs alternate A B B A A B B A", () => {
  assert.deepEqual(
    runOrder(4)
      .map((r) => (r.side === "base" ? "A" : "B"))
      .join(""),
    "ABBAABBA",
  );
  assert.deepEqual(
    runOrder(2).map((r) => r.pair),
    [1, 1, 2, 2],
  );
});

test("a clear 30 % slowdown over 6 pairs is regressed; the same as base is improved for the other direction", () => {
  const random = new SeededRandom(7);
  const base = Array.from({ length: 6 }, () => random.logNormal(100, 0.05));
  const head = base.map((b) => b * 1.3 * random.logNormal(1, 0.03));
  const slow = pairedRatio(pairsOf(base, head), "lower");
  assert.equal(slow.verdict, "regressed");
  assert.ok(slow.ratio! > 1.2 && slow.ratio! < 1.4, String(slow.ratio));
  assert.ok(slow.ci![0] > 1 && slow.ci![1] > slow.ci![0]);
  assert.equal(pairedRatio(pairsOf(base, head), "higher").verdict, "improved");
});

test("A/A with small noise is unchanged; with large noise inconclusive, saying how many pairs would decide", () => {
  const random = new SeededRandom(11);
  const quiet = Array.from({ length: 8 }, () => ({
    base: random.logNormal(100, 0.02),
    head: random.logNormal(100, 0.02),
  }));
  assert.equal(pairedRatio(quiet, "lower").verdict, "unchanged");
  const noisy = Array.from({ length: 4 }, () => ({
    base: random.logNormal(100, 0.4),
    head: random.logNormal(100, 0.4),
  }));
  const r = pairedRatio(noisy, "lower");
  assert.equal(r.verdict, "inconclusive");
  assert.ok(r.pairsToDecide === null || (r.pairsToDecide ?? 0) > 4, String(r.pairsToDecide));
});

test("fewer than 3 pairs never decide, however large the change", () => {
  const r = pairedRatio(pairsOf([100, 100], [300, 310]), "lower");
  assert.equal(r.verdict, "inconclusive");
  assert.equal(r.pairsToDecide, 3);
  assert.equal(pairedRatio(pairsOf([100], [300]), "lower").verdict, "inconclusive");
});

test("the bootstrap is seeded: the same pairs give the same interval", () => {
  const pairs = pairsOf([100, 120, 90, 110], [105, 118, 99, 120]);
  assert.deepEqual(pairedRatio(pairs, "lower").ci, pairedRatio(pairs, "lower").ci);
});

test("zeros: 0 against 0 is no change; 0 against a count has no ratio and is said so", () => {
  assert.equal(pairedRatio(pairsOf([0, 0, 0], [0, 0, 0]), "lower").verdict, "unchanged");
  const r = pairedRatio(pairsOf([0, 0, 0], [2, 1, 3]), "lower");
  assert.equal(r.verdict, "inconclusive");
  assert.match(r.note ?? "", /3 pair\(s\) with a 0 on one side/);
});

test("A/A false alarms: over 300 trials of 5 noisy pairs, at most ~5 % say improved or regressed", () => {
  const random = new SeededRandom(3);
  let alarms = 0;
  const trials = 300;
  for (let t = 0; t < trials; t++) {
    const pairs = Array.from({ length: 5 }, () => ({
      base: random.logNormal(100, 0.15),
      head: random.logNormal(100, 0.15),
    }));
    const v = pairedRatio(pairs, "lower", {
      minEffectPercent: 0.001,
      confidence: 0.95,
      resamples: 1000,
      seed: t,
    }).verdict;
    if (v === "improved" || v === "regressed") alarms++;
  }
  assert.ok(alarms / trials <= 0.07, `${alarms}/${trials}`);
});

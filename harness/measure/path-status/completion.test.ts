import assert from "node:assert/strict";
import { it } from "node:test";
import { seededRandom } from "../../random/seeded.ts";
import { PathCompletion } from "./completion.ts";

/** The definition the counters must agree with, by walking everything. */
function completeByWalk(states: Map<string, string | undefined>, expected: Set<string>): boolean {
  for (const id of expected) {
    const s = states.get(id);
    if (s === undefined || s === "Unknown") return false;
  }
  for (const name of states.keys()) if (!expected.has(name)) return false;
  return true;
}

it("is complete when every expected tunnel has a Path with a known state and no other Path exists", () => {
  const c = new PathCompletion();
  assert.equal(c.complete, true, "nothing expected, nothing there");
  c.setExpected(new Set(["t1", "t2"]));
  assert.equal(c.complete, false);
  c.set("t1", "Up");
  c.set("t2", undefined);
  assert.equal(c.complete, false, "a Path without status state does not count");
  assert.deepEqual(c.missing(5), ["t2"]);
  c.set("t2", "Unknown");
  assert.equal(c.complete, false, "Unknown is no state");
  c.set("t2", "Down");
  assert.equal(c.complete, true);
  c.set("x", "Up");
  assert.equal(c.complete, false, "a Path no live Site implies");
  assert.deepEqual(c.extra(5), ["x"]);
  c.delete("x");
  assert.equal(c.complete, true);
  c.setExpected(new Set(["t1"]));
  assert.equal(c.complete, false, "t2 is no longer expected but still exists");
  c.delete("t2");
  assert.equal(c.complete, true);
  assert.equal(c.pathCount, 1);
  assert.equal(c.expectedCount, 1);
});

it("agrees with walking every tunnel through random events and expected-set changes", () => {
  const random = seededRandom(11);
  const universe = Array.from({ length: 6 }, (_, i) => `t${i}`);
  const values = [undefined, "Unknown", "Up", "Down", "Degraded"];
  const states = new Map<string, string | undefined>();
  let expected = new Set<string>();
  const c = new PathCompletion();
  let completes = 0;
  for (let step = 0; step < 20_000; step++) {
    const name = universe[Math.floor(random() * universe.length)] as string;
    const u = random();
    if (u < 0.55) {
      const state = values[Math.floor(random() * values.length)];
      states.set(name, state);
      c.set(name, state);
    } else if (u < 0.9) {
      states.delete(name);
      c.delete(name);
    } else {
      expected = new Set(universe.filter(() => random() < 0.5));
      c.setExpected(expected);
    }
    const want = completeByWalk(states, expected);
    assert.equal(c.complete, want, `step ${step}`);
    if (want && expected.size > 0) completes++;
    assert.equal(c.pathCount, states.size);
  }
  assert.ok(completes > 0, "the walk must reach completion at least once for the test to mean anything");
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { jsonEqual } from "./json-equal.ts";

/** The definition jsonEqual replaces: equal after a JSON round-trip. */
function viaJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

test("keys holding undefined count as absent; null does not", () => {
  assert.equal(jsonEqual({ a: 1, b: undefined }, { a: 1 }), true);
  assert.equal(jsonEqual({ a: 1 }, { a: 1, b: undefined }), true);
  assert.equal(jsonEqual({ a: 1, b: null }, { a: 1 }), false);
  assert.equal(jsonEqual({ a: null }, { a: undefined, b: null }), false);
  assert.equal(jsonEqual({ a: undefined }, {}), true);
});

test("arrays compare in order; undefined and non-finite numbers in them are null", () => {
  assert.equal(jsonEqual([1, 2], [2, 1]), false);
  assert.equal(jsonEqual([1, 2], [1, 2, 3]), false);
  assert.equal(jsonEqual([undefined], [null]), true);
  assert.equal(jsonEqual([Number.NaN], [null]), true);
  assert.equal(jsonEqual({ a: [] }, { a: {} }), false);
});

test("key order does not matter; nested changes do", () => {
  const a = { conditions: [{ type: "Ready", status: "True", reason: "R", message: "" }], phase: "Ready" };
  const b = { phase: "Ready", conditions: [{ message: "", reason: "R", status: "True", type: "Ready" }] };
  assert.equal(jsonEqual(a, b), true);
  const c = structuredClone(b);
  c.conditions[0]!.status = "False";
  assert.equal(jsonEqual(a, c), false);
  assert.equal(jsonEqual({ n: 1 }, { n: "1" }), false);
  assert.equal(jsonEqual({ n: 0 }, { n: false }), false);
});

/** A small deterministic PRNG so a failure is reproducible from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomValue(r: () => number, depth: number): unknown {
  const pick = Math.floor(r() * (depth > 2 ? 6 : 8));
  switch (pick) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return Math.floor(r() * 3);
    case 3:
      return ["a", "b", ""][Math.floor(r() * 3)];
    case 4:
      return r() < 0.5;
    case 5:
      return r() < 0.1 ? Number.NaN : r() < 0.5 ? 0 : 1.5;
    case 6:
      return Array.from({ length: Math.floor(r() * 3) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (const k of ["x", "y", "z"]) if (r() < 0.6) o[k] = randomValue(r, depth + 1);
      return o;
    }
  }
}

/** A copy with small random edits (or none), so that equal pairs are common. */
function mutate(v: unknown, r: () => number): unknown {
  if (r() < 0.1) return randomValue(r, 2);
  if (Array.isArray(v)) return v.map((e) => mutate(e, r));
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    const keys = Object.keys(v);
    if (r() < 0.3) keys.reverse();
    for (const k of keys) o[k] = mutate((v as Record<string, unknown>)[k], r);
    if (r() < 0.1) o.w = undefined;
    return o;
  }
  return v;
}

test("agrees with a JSON round-trip comparison on random object data", () => {
  let equalPairs = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const r = rng(seed);
    const a = { status: randomValue(r, 0) };
    const b = r() < 0.5 ? structuredClone(a) : { status: mutate(a.status, r) };
    const expected = viaJson(a, b);
    if (expected) equalPairs++;
    assert.equal(jsonEqual(a, b), expected, `seed ${seed}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    assert.equal(jsonEqual(b, a), expected, `seed ${seed} (swapped)`);
  }
  // The property must see both outcomes often to mean anything.
  assert.ok(equalPairs > 500 && equalPairs < 2900, `equal pairs ${equalPairs}`);
});

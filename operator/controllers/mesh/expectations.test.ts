import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PathExpectations } from "./expectations.ts";

describe("PathExpectations", () => {
  it("holds a written id until the cache shows it", () => {
    const e = new PathExpectations(1000, () => 0);
    e.expect("ns/m", "a");
    e.expect("ns/m", "b");
    assert.deepEqual([...e.pending("ns/m")].sort(), ["a", "b"]);
    assert.ok(e.has("ns/m", "a"));
    e.observed("ns/m", "a");
    assert.equal(e.has("ns/m", "a"), false);
    assert.deepEqual([...e.pending("ns/m")], ["b"]);
    assert.equal(e.pending("ns/other").size, 0);
  });

  it("lets an id go after the ttl, so a lost watch event costs one retry and no stuck Path", () => {
    let now = 0;
    const e = new PathExpectations(1000, () => now);
    e.expect("ns/m", "a");
    now = 999;
    assert.ok(e.has("ns/m", "a"));
    now = 1000;
    assert.equal(e.has("ns/m", "a"), false);
    assert.equal(e.pending("ns/m").size, 0);
    assert.equal(e.size, 0, "expired entries are dropped, not kept");
  });

  it("forgets a Mesh entirely", () => {
    const e = new PathExpectations(1000, () => 0);
    e.expect("ns/m", "a");
    e.forget("ns/m");
    assert.equal(e.size, 0);
  });
});

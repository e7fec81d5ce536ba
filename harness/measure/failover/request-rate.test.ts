import assert from "node:assert/strict";
import { it } from "node:test";
import { RequestRate } from "./request-rate.ts";

it("gives one rate per window of at least 900 ms and is due only when a reading can close one", () => {
  const r = new RequestRate();
  assert.equal(r.due(0), true, "the first reading starts the first window");
  assert.equal(r.reading(100, 1000), undefined);
  assert.equal(r.due(1250), false);
  assert.equal(r.due(1899), false);
  assert.equal(r.reading(150, 1500), undefined, "a window shorter than 900 ms gives nothing");
  assert.equal(r.due(1900), true);
  assert.equal(r.reading(300, 2000), 200, "200 requests in 1 s, counted from the window's start");
  assert.equal(r.reading(301, 2999), 1);
  assert.equal(r.reading(302, 3000), undefined);
  assert.equal(r.reading(333, 4000), 32.0);
  assert.equal(r.reading(334, 7000), 0.3);
});

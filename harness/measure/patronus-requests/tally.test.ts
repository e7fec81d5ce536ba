import assert from "node:assert/strict";
import { it } from "node:test";
import { ConcurrentWriters, describeRoutes, RouteTally, routeLabel } from "./tally.ts";

it("tallies requests by route and status, most frequent first, in one line per route", () => {
  const t = new RouteTally();
  for (let i = 0; i < 1000; i++) t.add({ method: "PUT", route: "/api/v1/sites/:name", status: 200 });
  for (let i = 0; i < 37; i++) t.add({ method: "PUT", route: "/api/v1/sites/:name", status: 429 });
  t.add({ method: "DELETE", route: "/api/v1/policies/:name", status: 0 });
  assert.equal(routeLabel("PUT", "/api/v1/sites/:name"), "PUT /api/v1/sites/{name}");
  assert.deepEqual(describeRoutes(t.routes()), [
    "PUT /api/v1/sites/{name}: 1000 × 200, 37 × 429",
    "DELETE /api/v1/policies/{name}: 1 × no answer",
  ]);
  assert.equal(t.total, 1038);
});

it("keeps a bounded number of routes however many distinct paths a client calls", () => {
  const t = new RouteTally();
  for (let i = 0; i < 500; i++) t.add({ method: "GET", route: `/unknown/${i}`, status: 404 });
  assert.equal(t.routes().length, 200);
  assert.equal(t.untallied, 300);
  assert.equal(t.total, 500);
});

it("counts objects written by two callers within the window, not one caller's repeated writes", () => {
  const w = new ConcurrentWriters(5000);
  const put = (caller: string, name: string, atMs: number) =>
    w.add({ atMs, caller, method: "PUT", route: "/api/v1/sites/:name", name, status: 200 });
  put("operator-0", "a", 0);
  put("operator-0", "a", 1000); // the same replica again: not concurrent
  put("operator-1", "a", 3000); // another replica 2 s later: concurrent
  put("operator-2", "a", 3500); // and a third
  put("operator-0", "b", 0);
  put("operator-1", "b", 9000); // 9 s later: outside the window
  w.add({
    atMs: 9100,
    caller: "operator-2",
    method: "GET",
    route: "/api/v1/sites/:name",
    name: "b",
    status: 200,
  });
  assert.equal(w.writes, 6);
  assert.equal(w.concurrentWrites, 2);
  assert.equal(w.objects, 1);
  assert.deepEqual(w.examples(), ["/api/v1/sites/a"]);
  assert.equal(w.callerCount, 3);
});

import assert from "node:assert/strict";
import { it } from "node:test";
import { increase } from "../prometheus/counters.ts";
import { perObjectPerMinute, writesByResource } from "./rates.ts";

it("turns a counter's increase over a window into calls per object per minute", () => {
  // 50 objects, 30 s: 25 calls is 1 per object per minute.
  assert.equal(perObjectPerMinute(25, 50, 30_000), 1);
  assert.equal(perObjectPerMinute(0, 50, 30_000), 0);
  // A hot loop: 50 objects rewritten 10 times a second each for 15 s.
  assert.equal(perObjectPerMinute(50 * 10 * 15, 50, 15_000), 600);
  assert.equal(perObjectPerMinute(10, 0, 30_000), undefined);
});

it("sums the apiserver's write requests per resource of the operator's group, status included", () => {
  const sample = (verb: string, resource: string, group: string, value: number, subresource = "") => ({
    name: "apiserver_request_total",
    labels: { verb, resource, group, subresource, code: "200" },
    value,
  });
  const samples = [
    sample("PATCH", "sites", "sdwan.patronus.dev", 10, "status"),
    sample("PUT", "sites", "sdwan.patronus.dev", 5),
    sample("GET", "sites", "sdwan.patronus.dev", 1000),
    sample("WATCH", "sites", "sdwan.patronus.dev", 3),
    sample("PATCH", "sites", "sdwan.patronus.io", 99),
    sample("PUT", "leases", "coordination.k8s.io", 40),
  ];
  const writes = writesByResource(samples, [
    { group: "sdwan.patronus.dev", plural: "sites" },
    { group: "sdwan.patronus.dev", plural: "policies" },
  ]);
  assert.deepEqual(
    [...writes],
    [
      ["sites", 15],
      ["policies", 0],
    ],
  );
  assert.deepEqual(
    [
      ...increase(
        new Map([["sites", 15]]),
        new Map([
          ["sites", 40],
          ["policies", 2],
        ]),
      ),
    ],
    [
      ["sites", 25],
      ["policies", 2],
    ],
  );
  assert.deepEqual([...increase(new Map([["sites", 15]]), new Map([["sites", 4]]))], [["sites", 4]]);
});

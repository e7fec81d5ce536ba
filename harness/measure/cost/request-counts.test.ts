import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePrometheusText } from "../prometheus/parse.ts";
import { REQUEST_TOTAL, requestsPerObject, requestTotals, round4 } from "./request-counts.ts";

const scrape = (sites: number, status: number, pods: number) =>
  requestTotals(
    parsePrometheusText(
      [
        "# TYPE apiserver_request_total counter",
        `apiserver_request_total{code="201",component="apiserver",resource="sites",verb="POST"} ${sites}`,
        `apiserver_request_total{code="409",component="apiserver",resource="sites",verb="POST"} 2`,
        `apiserver_request_total{code="200",resource="sites",subresource="status",verb="PATCH"} ${status}`,
        `apiserver_request_total{code="200",resource="pods",verb="GET"} ${pods}`,
        "",
      ].join("\n"),
      [REQUEST_TOTAL],
    ).samples,
  );

test("requests by resource[/subresource] and verb, summed over codes; other resources left out", () => {
  const t = scrape(10, 5, 99);
  assert.equal(t.get('resource="sites",verb="POST"'), 12);
  assert.equal(t.get('resource="sites/status",verb="PATCH"'), 5);
  assert.equal(
    [...t.keys()].some((k) => k.includes("pods")),
    false,
  );
});

test("per object: the change over the run divided by the objects changed, and the total", () => {
  const { byKey, total } = requestsPerObject(scrape(10, 5, 0), scrape(110, 305, 0), 100);
  assert.equal(byKey.get('apiserver_requests_per_object{resource="sites",verb="POST"}'), 1);
  assert.equal(byKey.get('apiserver_requests_per_object{resource="sites/status",verb="PATCH"}'), 3);
  assert.equal(total, 4);
});

test("a counter reset (apiserver restarted) counts from zero; unchanged keys are left out", () => {
  const before = new Map([
    ['resource="sites",verb="PUT"', 500],
    ['resource="leases",verb="PUT"', 7],
  ]);
  const after = new Map([
    ['resource="sites",verb="PUT"', 30],
    ['resource="leases",verb="PUT"', 7],
  ]);
  const { byKey } = requestsPerObject(before, after, 10);
  assert.equal(byKey.get('apiserver_requests_per_object{resource="sites",verb="PUT"}'), 3);
  assert.equal(byKey.has('apiserver_requests_per_object{resource="leases",verb="PUT"}'), false);
});

test("four significant digits", () => {
  assert.equal(round4(1.234567), 1.235);
  assert.equal(round4(0.000123456), 0.0001235);
  assert.equal(round4(0), 0);
});

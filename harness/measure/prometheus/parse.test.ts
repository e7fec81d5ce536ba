import assert from "node:assert/strict";
import { it } from "node:test";
import { bucketsBy, parsePrometheusText, sumOf } from "./parse.ts";

const TEXT = `# HELP workqueue_depth Current depth of workqueue
# TYPE workqueue_depth gauge
workqueue_depth{name="site"} 3
workqueue_depth{name="path"} 4
controller_runtime_reconcile_total{controller="site",result="success"} 120
controller_runtime_reconcile_total{controller="site",result="error"} 2
weird{msg="a \\"quoted\\", comma"} 1.5e3 1700000000000
apiserver_request_duration_seconds_bucket{resource="sites",verb="POST",le="0.05"} 10
apiserver_request_duration_seconds_bucket{resource="sites",verb="POST",le="+Inf"} 12
garbage line here
`;

it("parses samples, labels with escapes, exponents and +Inf; skips junk", () => {
  const { samples, skipped } = parsePrometheusText(TEXT);
  assert.equal(skipped, 1);
  assert.equal(sumOf(samples, "workqueue_depth"), 7);
  assert.equal(sumOf(samples, "controller_runtime_reconcile_total", { result: "success" }), 120);
  const weird = samples.find((s) => s.name === "weird");
  assert.deepEqual(weird?.labels, { msg: 'a "quoted", comma' });
  assert.equal(weird?.value, 1500);
  const buckets = bucketsBy(samples, "apiserver_request_duration_seconds", ["resource", "verb"]);
  assert.deepEqual(buckets.get("resource=sites,verb=POST"), [
    [0.05, 10],
    [Number.POSITIVE_INFINITY, 12],
  ]);
});

it("keeps only the requested metric families when asked", () => {
  const { samples } = parsePrometheusText(TEXT, ["workqueue_"]);
  assert.deepEqual(
    samples.map((s) => s.name),
    ["workqueue_depth", "workqueue_depth"],
  );
});

it("reads indented, CRLF and comment lines as trimmed lines, with or without a family filter", () => {
  const text = `${TEXT.replaceAll("\n", "\r\n")}  \t workqueue_adds_total{name="x"} 5\r\n   # indented comment\r\n\r\n  \nlast_line_without_newline 9`;
  const all = parsePrometheusText(text);
  assert.equal(all.skipped, 1);
  assert.equal(sumOf(all.samples, "workqueue_adds_total"), 5);
  assert.equal(sumOf(all.samples, "last_line_without_newline"), 9);
  assert.equal(sumOf(all.samples, "workqueue_depth"), 7);
  const prefixes = ["workqueue_", "last_", "apiserver_request"];
  const filtered = parsePrometheusText(text, prefixes);
  assert.deepEqual(
    filtered.samples,
    all.samples.filter((s) => prefixes.some((p) => s.name.startsWith(p))),
  );
  assert.equal(filtered.skipped, 0);
});

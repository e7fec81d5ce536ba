import assert from "node:assert/strict";
import { it } from "node:test";
import { seededRandom } from "../../random/seeded.ts";
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

it("finds the same lines by prefix search as a walk over every trimmed line", () => {
  const random = seededRandom(5);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const names = ["apiserver_storage_objects", "apiserver_storage_size_bytes", "etcd_db", "etcd_dbx", "other"];
  const prefixes = ["apiserver_storage_objects", "etcd_db"];
  for (let round = 0; round < 200; round++) {
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) {
      const name = pick(names);
      const indent = pick(["", "", " ", "\t ", "\r"]);
      lines.push(
        pick([
          `${indent}${name}{resource="${pick(names)}"} ${i}`,
          `${indent}${name} ${i}`,
          `# HELP ${name} about ${pick(names)}`,
          `${indent}`,
          `x{a="\n${name} 1`,
          `${name}`,
        ]),
      );
    }
    const text = lines.join(pick(["\n", "\r\n"]));
    const want = byTrimmedLines(text, prefixes);
    const got = parsePrometheusText(text, prefixes);
    assert.deepEqual(got.samples, want.samples, text);
    assert.equal(got.skipped, want.skipped, text);
  }
});

/** The definition: every line trimmed, comments dropped, kept when it begins with a prefix. */
function byTrimmedLines(text: string, prefixes: readonly string[]) {
  const kept = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#") && prefixes.some((p) => l.startsWith(p)));
  return parsePrometheusText(kept.join("\n"));
}

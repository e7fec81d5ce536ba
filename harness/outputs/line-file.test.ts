import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { RunEventLog } from "../measure/events/run-events.ts";
import { MetricStore } from "../measure/metrics/store.ts";
import type { Results } from "../results/schema.ts";
import { CSV_HEADER, CSV_LINES, csvRow } from "./csv-lines.ts";
import { JSON_LINES } from "./json-lines.ts";
import { LineFileSink } from "./line-file.ts";
import type { RunFeed } from "./sink.ts";

function feed(): RunFeed {
  const origin = performance.now();
  return {
    id: "smoke-20261207-010000Z",
    startedAtMs: Date.parse("2026-12-07T01:00:00.000Z"),
    store: new MetricStore(origin),
    events: new RunEventLog(origin),
    labels: { scenario: "smoke" },
  };
}

const ENDED = {
  run: { finishedAt: "2026-12-07T01:02:00.000Z" },
  thresholds: [
    { metric: "lost_updates", expression: "count==0", status: "pass" },
    { metric: "site_ready_latency", expression: "p(99)<1,5", status: "fail" },
    { metric: "x", expression: "p(99)<1", status: "not-applicable" },
  ],
  verdict: "fail",
} as unknown as Results;

describe("file sinks", () => {
  it("json: a line per sample and event as they are recorded, thresholds and verdict at the end", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "json-sink-")), "s.jsonl");
    const run = feed();
    const sink = new LineFileSink("json", file, JSON_LINES);
    const stop = sink.attach(run);
    run.store.record('site_ready_latency{phase="create"}', 12.5);
    run.store.count("lost_updates", 2);
    run.events.record("phase-start", "harness", { phase: "create" }, performance.now());
    stop();
    run.store.count("lost_updates"); // after stop: not followed
    sink.runEnded(run, ENDED);
    const report = await sink.close();
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.equal(report.sent, lines.length);
    assert.equal(report.dropped, 0);
    assert.deepEqual(
      lines.map((l) => [l.type, l.metric ?? l.kind]),
      [
        ["sample", "site_ready_latency"],
        ["sample", "lost_updates"],
        ["event", "phase-start"],
        ["threshold", "lost_updates"],
        ["threshold", "site_ready_latency"],
        ["threshold", "x"],
        ["verdict", undefined],
      ],
    );
    assert.deepEqual(lines[0].labels, { phase: "create" });
    assert.equal(lines[0].kind, "distribution");
    assert.equal(lines[0].value, 12.5);
    assert.equal(lines[0].unit, "ms");
    assert.equal(lines[0].run_id, "smoke-20261207-010000Z");
    assert.ok(lines[0].time.startsWith("2026-12-07T01:00:0"));
    assert.equal(lines[1].value, 2, "a counter line carries its new total");
    assert.deepEqual(lines[2].detail, { phase: "create" });
    assert.equal(lines[3].pass, true);
    assert.equal(lines[4].pass, false);
    assert.equal(lines[5].pass, undefined);
    assert.equal(lines[6].verdict, "fail");
  });

  it("csv: a header, a row per sample with labels as name=value pairs, threshold and verdict rows", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "csv-sink-")), "s.csv");
    const run = feed();
    const sink = new LineFileSink("csv", file, CSV_LINES);
    const stop = sink.attach(run);
    run.store.gauge("operator_rss_bytes", 1024, "bytes");
    run.events.record("fault", "harness");
    stop();
    sink.runEnded(run, ENDED);
    await sink.close();
    const rows = readFileSync(file, "utf8").trim().split("\n");
    assert.equal(rows[0], CSV_HEADER);
    assert.match(rows[1]!, /^operator_rss_bytes,1796605200\.\d{3},1024,bytes,smoke-20261207-010000Z,$/);
    assert.equal(
      rows[2],
      "threshold,1796605320.000,1,bool,smoke-20261207-010000Z,metric=lost_updates;expression=count==0",
    );
    assert.equal(
      rows[3],
      'threshold,1796605320.000,0,bool,smoke-20261207-010000Z,"metric=site_ready_latency;expression=p(99)<1,5"',
    );
    assert.equal(rows[4], "verdict,1796605320.000,0,bool,smoke-20261207-010000Z,verdict=fail");
    assert.equal(rows.length, 5, "events are not rows; not-applicable thresholds neither");
  });

  it("csv fields with quotes are quoted and doubled", () => {
    assert.equal(csvRow('a"b', 1000, 1, "ms", "r", {}), '"a""b",1.000,1,ms,r,');
  });
});

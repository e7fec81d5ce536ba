import assert from "node:assert/strict";
import { it } from "node:test";
import { markdownTable, textTable } from "./tables.ts";

it("aligns a terminal table's columns to their widest cell, with a dashed rule under the header", () => {
  assert.deepEqual(
    textTable(
      ["Metric", "p50"],
      [
        ["site_ready_latency", "12 ms"],
        ["x", "1.5 s"],
      ],
    ),
    [
      "Metric              p50",
      "------------------  -----",
      "site_ready_latency  12 ms",
      "x                   1.5 s",
    ],
  );
});

it("escapes a Markdown cell's pipes and line breaks, so a row stays one row", () => {
  assert.deepEqual(markdownTable(["a", "b|c"], [["x|y", "line\nbreak"]]), [
    "| a | b\\|c |",
    "|---|---|",
    "| x\\|y | line break |",
  ]);
});

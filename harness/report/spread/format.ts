/** The spread across repeats as an aligned terminal table, Markdown (summary.md, docs) and JSON. */
import { mdCell } from "../outputs/markdown-cell.ts";
import type { Spread, SpreadRow } from "./spread.ts";

export type SpreadFormat = "table" | "markdown" | "json";

import { MAX_REPEATS_ESTIMATE } from "./repeats-needed.ts";

const BASE_HEADERS = ["Metric", "Stat", "Kind", "n", "Mean", "SD", "CV", "Min", "Max", "Unit"];

/** The column an HTML table highlights for a cost count above the limit. */
export const CV_COLUMN = BASE_HEADERS.indexOf("CV");

function changeText(s: Spread): string {
  return `${Number((s.power.change * 100).toPrecision(3))} %`;
}

export function spreadHeaders(s: Spread): string[] {
  return [...BASE_HEADERS, `Repeats to see ${changeText(s)}`];
}

export function spreadTitle(s: Spread): string {
  return `Spread across ${s.samples.length} repeats`;
}

/** Four significant digits: enough to read a spread, short enough for a table. */
function figure(value: number | null): string {
  if (value === null) return "—";
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

function percent(cv: number | null): string {
  return cv === null ? "—" : `${(cv * 100).toFixed(1)} %`;
}

export function spreadCells(r: SpreadRow, of: number): string[] {
  return [
    r.metric,
    r.stat,
    r.gated && r.cost ? "gate, cost" : r.gated ? "gate" : "cost",
    r.n === of ? String(r.n) : `${r.n} of ${of}`,
    figure(r.mean),
    figure(r.sd),
    `${percent(r.cv)}${r.aboveCostLimit ? " ⚠" : ""}`,
    figure(r.min),
    figure(r.max),
    r.unit,
    r.repeatsToSee !== null
      ? String(r.repeatsToSee)
      : r.cv === null || r.mean === 0
        ? "—"
        : `> ${MAX_REPEATS_ESTIMATE}`,
  ];
}

/** What the columns mean, and what the ⚠ marks. */
export function spreadNotes(s: Spread): string[] {
  const limit = `${(s.costCvLimit * 100).toFixed(0)} %`;
  const above = s.rows.filter((r) => r.aboveCostLimit).length;
  const costs = s.rows.some((r) => r.cost);
  return [
    `${s.scenario}: every gated figure (a thresholded metric at the statistic its threshold reads) and every cost count, highest CV first. ` +
      "SD is the sample standard deviation (n − 1), CV = SD / mean; a run that did not record a figure is left out of its n.",
    `Repeats to see ${changeText(s)}: per side, for a two-sided t-test on per-run values at α ${s.power.alpha} to see a ${changeText(s)} change of the mean ` +
      `with probability ${s.power.power}, taking this CV for both sides and the figure on its own; compare asks for more (it corrects across figures and needs the change to reach --min-effect).`,
    !costs
      ? "No cost counts were recorded."
      : above === 0
        ? `Every cost count is within ${limit}.`
        : `⚠ ${above} cost count(s) above ${limit}: work per object should not move with the machine's speed.`,
  ];
}

export function formatSpreadTable(s: Spread): string {
  const headers = spreadHeaders(s);
  const rows = s.rows.map((r) => spreadCells(r, s.samples.length));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [
    spreadTitle(s),
    ...spreadNotes(s),
    "",
    line(headers),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
  ].join("\n");
}

/** A Markdown section; `heading` is its level's hashes. */
export function formatSpreadMarkdown(s: Spread, heading = "##"): string {
  return [
    `${heading} ${spreadTitle(s)}`,
    "",
    ...spreadNotes(s).flatMap((n) => [n, ""]),
    `| ${spreadHeaders(s).join(" | ")} |`,
    "|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ...s.rows.map(
      (r) =>
        `| ${spreadCells(r, s.samples.length)
          .map((c, i) => (i === 0 ? `\`${mdCell(c)}\`` : mdCell(c)))
          .join(" | ")} |`,
    ),
    "",
    `Runs: ${s.samples.map((id) => `\`${id}\``).join(", ")}`,
    "",
  ].join("\n");
}

export function formatSpread(s: Spread, format: SpreadFormat): string {
  if (format === "json") return `${JSON.stringify(s, null, 2)}\n`;
  if (format === "markdown") return formatSpreadMarkdown(s);
  return formatSpreadTable(s);
}

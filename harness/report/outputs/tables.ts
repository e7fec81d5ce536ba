/**
 * Tables of figures, for the terminal (columns aligned with spaces) and for Markdown (PR
 * comments, job summaries; cells escaped), and the marks of a comparison's verdicts, so `compare`
 * and `ab` print theirs alike.
 */
import { mdCell } from "./markdown.ts";

/** Header, a dashed rule and the rows, each column as wide as its widest cell. */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${headers.map(mdCell).join(" | ")} |`,
    `|${headers.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`),
  ];
}

/** How a verdict on a metric's change reads in a table. */
export const VERDICT_MARK = {
  improved: "▲ improved",
  regressed: "▼ regressed",
  unchanged: "= unchanged",
  changed: "~ changed",
  inconclusive: "? inconclusive",
  missing: "– missing",
} as const;

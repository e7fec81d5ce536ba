/** Comparison output: an aligned terminal table, Markdown (PR comments) and JSON. */

import { formatValue } from "../outputs/figures.ts";
import { mdCell } from "../outputs/markdown.ts";
import type { Comparison, ComparisonRow, Verdict } from "./compare.ts";

export type CompareFormat = "table" | "markdown" | "json";

const SYMBOL: Record<Verdict, string> = {
  improved: "▲ improved",
  regressed: "▼ regressed",
  unchanged: "= unchanged",
  changed: "~ changed",
  inconclusive: "? inconclusive",
  missing: "– missing",
};

function percent(value: number | null): string {
  if (value === null) return "n/a";
  return `${value >= 0 ? "+" : ""}${value.toFixed(1)} %`;
}

function interval(ci: [number, number] | null): string {
  return ci ? `[${percent(ci[0])}, ${percent(ci[1])}]` : "—";
}

function pValue(p: number | null): string {
  if (p === null) return "—";
  return p < 0.001 ? "<0.001" : p.toFixed(3);
}

function cells(r: ComparisonRow): string[] {
  return [
    `${r.metric}${r.gated ? "" : " (not gated)"}`,
    r.stat,
    `${formatValue(r.base.mean, r.unit)} (n=${r.base.n})`,
    `${formatValue(r.head.mean, r.unit)} (n=${r.head.n})`,
    percent(r.changePercent),
    interval(r.ciPercent),
    pValue(r.pAdjusted ?? r.p),
    SYMBOL[r.verdict],
  ];
}

const HEADERS = ["Metric", "Stat", "Base", "Head", "Change", "CI", "p", "Verdict"];

function headline(c: Comparison): string {
  const o = c.options;
  return (
    `${c.verdict.toUpperCase()}: ${c.head.label} vs ${c.base.label} — ` +
    `${c.regressions.length} gated regression(s) beyond the ${o.budgetPercent} % budget ` +
    `(test α=${o.alpha}${o.correction === "holm" ? ", p Holm-corrected across rows" : ""}, minimum effect ${o.minEffectPercent} %, ` +
    `${Math.round(o.confidence * 100)} % intervals)`
  );
}

export function formatTable(c: Comparison): string {
  const rows = c.rows.map(cells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [
    headline(c),
    ...c.warnings.map((w) => `warning: ${w}`),
    "",
    line(HEADERS),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
  ].join("\n");
}

export function formatMarkdown(c: Comparison): string {
  const lines = [
    `## ${c.verdict === "pass" ? "✅" : c.verdict === "fail" ? "❌" : "❔"} Benchmark comparison`,
    "",
    headline(c),
    "",
    ...c.warnings.map((w) => `> ⚠️ ${w}`),
    ...(c.warnings.length ? [""] : []),
    `| ${HEADERS.join(" | ")} |`,
    `|${HEADERS.map(() => "---").join("|")}|`,
    ...c.rows.map((r) => `| ${cells(r).map(mdCell).join(" | ")} |`),
    "",
    `Base: ${c.base.runIds.map((id) => `\`${id}\``).join(", ")}  `,
    `Head: ${c.head.runIds.map((id) => `\`${id}\``).join(", ")}`,
    "",
  ];
  return lines.join("\n");
}

export function formatComparison(c: Comparison, format: CompareFormat): string {
  if (format === "json") return `${JSON.stringify(c, null, 2)}\n`;
  if (format === "markdown") return formatMarkdown(c);
  return formatTable(c);
}

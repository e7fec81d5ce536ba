/** Comparison output: an aligned terminal table, Markdown (PR comments) and JSON. */

import { formatValue } from "../outputs/figures.ts";
import { markdownTable, textTable, VERDICT_MARK } from "../outputs/tables.ts";
import type { Comparison, ComparisonRow, Verdict } from "./compare.ts";

export type CompareFormat = "table" | "markdown" | "json";

const SYMBOL: Record<Verdict, string> = VERDICT_MARK;

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
  return [
    headline(c),
    ...c.warnings.map((w) => `warning: ${w}`),
    "",
    ...textTable(HEADERS, c.rows.map(cells)),
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
    ...markdownTable(HEADERS, c.rows.map(cells)),
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

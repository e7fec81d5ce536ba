/** The A/B answer as a terminal table and as Markdown (PR comments, ab.md). */
import { formatValue } from "../report/outputs/figures.ts";
import { markdownTable, textTable, VERDICT_MARK } from "../report/outputs/tables.ts";
import { type AbAnalysis, type AbRow, ratioText } from "./analyze.ts";
import type { AbVerdict } from "./paired.ts";

const SYMBOL: Record<AbVerdict, string> = VERDICT_MARK;

const HEADERS = ["Metric", "Stat", "Base", "Head", "Head/base", "Interval", "Pairs", "Verdict"];

function verdictCell(r: AbRow): string {
  if (r.verdict !== "inconclusive") return SYMBOL[r.verdict];
  // No pair to count from: more pairs of the same kind need not decide it — say why instead.
  if (r.pairs === 0) return `${SYMBOL.inconclusive} (${r.note ?? "not recorded on both sides"})`;
  if (r.pairsToDecide === undefined) return SYMBOL.inconclusive;
  return `${SYMBOL.inconclusive} (${r.pairsToDecide === null ? "> 100 pairs" : `~${r.pairsToDecide} pairs`})`;
}

function cells(r: AbRow): string[] {
  return [
    r.metric,
    r.stat,
    formatValue(r.base, r.unit),
    formatValue(r.head, r.unit),
    ratioText(r.ratio),
    r.ci ? `[${r.ci[0].toFixed(3)}, ${r.ci[1].toFixed(3)}]` : "—",
    String(r.pairs),
    verdictCell(r),
  ];
}

/** Regressions first, then what is undecided: the rows a reader acts on lead. */
const ORDER: Record<AbVerdict, number> = { regressed: 0, inconclusive: 1, improved: 2, unchanged: 3 };
const sorted = (rows: readonly AbRow[]) => [...rows].sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict]);

export function abMethod(a: AbAnalysis): string {
  const o = a.options;
  return (
    `head/base per pair, geometric mean; ${Math.round(o.confidence * 100)} % family-wise intervals ` +
    `(each ${(a.perMetricConfidence * 100).toFixed(2)} %, seeded bootstrap of the log-ratios, expanded for few pairs); ` +
    `minimum effect ${o.minEffectPercent} %`
  );
}

export function formatAbTable(a: AbAnalysis, extra: readonly string[] = []): string {
  return [
    a.headline,
    ...extra,
    `method: ${abMethod(a)}`,
    "",
    ...textTable(HEADERS, sorted(a.rows).map(cells)),
    "",
  ].join("\n");
}

export function formatAbMarkdown(a: AbAnalysis, extra: readonly string[] = []): string {
  const [lead, ...rest] = a.headline.split("\n");
  return [
    `## ${a.verdict === "regressed" ? "❌" : a.verdict === "inconclusive" ? "❔" : "✅"} ${lead}`,
    "",
    ...rest.map((l) => `- ${l}`),
    ...extra.map((l) => `- ${l}`),
    "",
    `Method: ${abMethod(a)}.`,
    "",
    ...markdownTable(HEADERS, sorted(a.rows).map(cells)),
    "",
  ].join("\n");
}

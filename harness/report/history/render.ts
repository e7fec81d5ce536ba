/**
 * The history trend page: per scenario a trend chart of key figures across runs, a table of the
 * latest runs, as index.html (self-contained) and summary.md.
 */
import { lstat, mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { loadResults } from "../../results/load.ts";
import { writeFileAtomic } from "../../results/write.ts";
import { scopeSvgIds } from "../outputs/html.ts";
import { REPORT_CSS } from "../outputs/html-style.ts";
import { escapeXml as esc } from "../outputs/junit.ts";
import { markdownTable } from "../outputs/tables.ts";
import { renderPng } from "../render/png.ts";
import { injectRows, loadSpec } from "../render/spec.ts";
import { renderSvg } from "../render/svg.ts";
import { HISTORY_FILE, type HistoryEntry, historyEntry, readHistory } from "./index-file.ts";
import { groupByScenario, type TrendSeries, trendRows, trendSeries } from "./trend.ts";

export interface HistoryOptions {
  scenario?: string;
  /** Only the last N runs per scenario. */
  last?: number;
  chartsDir?: string;
  png?: boolean;
}

interface ScenarioTrend {
  scenario: string;
  entries: HistoryEntry[];
  series: TrendSeries[];
  svg?: string;
  chartError?: string;
}

export async function renderHistory(
  indexPath: string,
  outDir: string,
  options: HistoryOptions = {},
): Promise<{ files: string[]; warnings: string[]; scenarios: string[] }> {
  const { entries, warnings } = await readHistory(indexPath);
  const files: string[] = [];
  const trends: ScenarioTrend[] = [];
  await mkdir(join(outDir, "charts"), { recursive: true });
  for (const [scenario, all] of groupByScenario(entries)) {
    if (options.scenario && scenario !== options.scenario) continue;
    const picked = options.last ? all.slice(-options.last) : all;
    const series = trendSeries(picked);
    const trend: ScenarioTrend = { scenario, entries: picked, series };
    try {
      const { spec, path } = await loadSpec("history-trend", options.chartsDir);
      const svg = await renderSvg(
        injectRows(
          { ...spec, title: { text: `Trend: ${scenario}`, anchor: "start" } },
          trendRows(picked, series),
        ),
        path,
      );
      const stem = join(outDir, "charts", `trend-${scenario.replace(/[^\w.-]/g, "_")}`);
      files.push(await writeFileAtomic(`${stem}.svg`, svg));
      if (options.png !== false) files.push(await writeFileAtomic(`${stem}.png`, renderPng(svg)));
      trend.svg = svg;
    } catch (err) {
      trend.chartError = (err as Error).message;
    }
    trends.push(trend);
  }
  files.push(await writeFileAtomic(join(outDir, "index.html"), historyHtml(trends, warnings, indexPath)));
  files.push(await writeFileAtomic(join(outDir, "summary.md"), historyMarkdown(trends, warnings)));
  return { files, warnings, scenarios: trends.map((t) => t.scenario) };
}

function cell(e: HistoryEntry, s: TrendSeries): string {
  const v = e.metrics[s.metric]?.[s.stat];
  if (v === undefined) return "—";
  const x = v * s.scale;
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3);
}

function historyHtml(
  trends: readonly ScenarioTrend[],
  warnings: readonly string[],
  indexPath: string,
): string {
  const sections = trends.map((t) => {
    const chart = t.svg
      ? `<figure class="chart" data-chart="trend-${esc(t.scenario)}">${scopeSvgIds(t.svg, `trend-${t.scenario}`)}</figure>`
      : `<p class="missing">Trend chart failed: ${esc(t.chartError ?? "unknown")}</p>`;
    const head = ["Started", "Run", "Commit", "Verdict", ...t.series.map((s) => s.label)];
    const rows = [...t.entries]
      .reverse()
      .map(
        (e) =>
          `<tr><td>${esc(e.startedAt)}</td><td><code>${esc(e.runId)}</code></td><td><code>${esc(e.git.commit.slice(0, 12))}</code></td><td class="${e.verdict}">${e.verdict}</td>${t.series
            .map((s) => `<td>${esc(cell(e, s))}</td>`)
            .join("")}</tr>`,
      );
    return `<section><h2>${esc(t.scenario)} — ${t.entries.length} run(s)</h2>${chart}<table class="figures"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("\n")}</tbody></table></section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>patronus-bench history</title><style>${REPORT_CSS}</style></head>
<body><main><header class="verdict pass"><h1>Benchmark history</h1><p>Index <code>${esc(indexPath)}</code></p></header>
${warnings.length ? `<ul class="missing">${warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>` : ""}
${sections.length ? sections.join("\n") : "<p>No runs in the index.</p>"}
</main></body></html>
`;
}

function historyMarkdown(trends: readonly ScenarioTrend[], warnings: readonly string[]): string {
  const lines = ["## Benchmark history", ""];
  for (const w of warnings) lines.push(`> ⚠️ ${w}`);
  if (warnings.length) lines.push("");
  for (const t of trends) {
    lines.push(
      `### ${t.scenario} — ${t.entries.length} run(s)`,
      "",
      `![trend](charts/trend-${t.scenario.replace(/[^\w.-]/g, "_")}.svg)`,
      "",
    );
    const head = ["Started", "Commit", "Verdict", ...t.series.map((s) => s.label)];
    const rows = [...t.entries]
      .reverse()
      .slice(0, 20)
      .map((e) => [
        e.startedAt,
        `\`${e.git.commit.slice(0, 12)}\``,
        e.verdict === "pass" ? "✅" : "❌",
        ...t.series.map((s) => cell(e, s)),
      ]);
    lines.push(...markdownTable(head, rows), "");
  }
  if (trends.length === 0) lines.push("_No runs in the index._", "");
  return lines.join("\n");
}

/** Rebuilds an index from run directories under `dir` (each with results.json), oldest first. */
export async function rebuildHistory(
  dir: string,
  indexPath = join(dir, HISTORY_FILE),
): Promise<{ count: number; warnings: string[] }> {
  const warnings: string[] = [];
  const entries: HistoryEntry[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const runDir = join(dir, name);
    // lstat: reports/latest is a symlink to a run already in the list.
    const info = await lstat(runDir).catch(() => undefined);
    if (!info?.isDirectory()) continue;
    const file = join(runDir, "results.json");
    if (!(await stat(file).catch(() => undefined))) continue;
    try {
      entries.push(historyEntry(await loadResults(file), file));
    } catch (err) {
      warnings.push(`skipped ${file}: ${(err as Error).message}`);
    }
  }
  entries.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  await writeFileAtomic(indexPath, entries.map((e) => `${JSON.stringify(e)}\n`).join(""));
  return { count: entries.length, warnings };
}

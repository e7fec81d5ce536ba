/**
 * The per-run report, written next to results.json: index.html (self-contained), summary.md,
 * junit.xml and charts/<id>.svg|png. The run orchestrator calls renderReport after writing
 * results; `patronus-bench report DIR` does the same by hand.
 */
import { stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { loadResults } from "../results/load.ts";
import type { Results } from "../results/schema.ts";
import { writeFileAtomic } from "../results/write.ts";
import { renderHtml } from "./outputs/html.ts";
import { renderJunit } from "./outputs/junit.ts";
import { renderMarkdown } from "./outputs/markdown.ts";
import { type RepeatSummary, readRepeats } from "./outputs/repeats.ts";
import { type ChartRenderOptions, type RenderedChart, renderCharts } from "./render/charts.ts";
import { type Spread, sampleProblem, spreadOf } from "./spread/spread.ts";

export interface ReportOptions extends ChartRenderOptions {
  /** Where to write; default: the run directory (next to results.json). */
  outDir?: string;
}

export interface Report {
  files: string[];
  charts: RenderedChart[];
  results: Results;
}

/** Renders the report of the run in `dir` (a run directory or its results.json). */
export async function renderReport(dir: string, options: ReportOptions = {}): Promise<Report> {
  const results = await loadResults(dir);
  const runDir = (await stat(dir)).isDirectory() ? dir : dirname(dir);
  const { summaries, runs } = await readRepeats(runDir);
  const spread = sampleProblem(runs) ? undefined : spreadOf(runs);
  return renderReportFor(results, options.outDir ?? runDir, {
    ...options,
    repeats: summaries,
    ...(spread ? { spread } : {}),
  });
}

export async function renderReportFor(
  results: Results,
  outDir: string,
  options: ChartRenderOptions & { repeats?: RepeatSummary[]; spread?: Spread } = {},
): Promise<Report> {
  const repeats = options.repeats ?? [];
  const { spread } = options;
  const charts = await renderCharts(results, outDir, options);
  const files: string[] = [];
  for (const c of charts)
    if (c.status === "rendered") files.push(c.svgFile, ...(c.pngFile ? [c.pngFile] : []));
  files.push(await writeFileAtomic(join(outDir, "index.html"), renderHtml(results, charts, repeats, spread)));
  files.push(
    await writeFileAtomic(join(outDir, "summary.md"), renderMarkdown(results, charts, repeats, spread)),
  );
  files.push(await writeFileAtomic(join(outDir, "junit.xml"), renderJunit(results)));
  return { files, charts, results };
}

export type { RenderedChart } from "./render/charts.ts";

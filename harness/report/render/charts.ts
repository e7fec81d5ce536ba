/**
 * Renders every run chart to charts/<id>.svg and .png. A chart whose data is missing, or whose
 * (user-edited) spec fails, is reported with the reason instead of failing the whole report.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describeError } from "../../errors.ts";
import type { Results } from "../../results/schema.ts";
import { writeFileAtomic } from "../../results/write.ts";
import { type ChartDefinition, RUN_CHARTS } from "../chart-catalog.ts";
import { renderPng } from "./png.ts";
import { injectRows, loadSpec } from "./spec.ts";
import { renderSvg } from "./svg.ts";

export type RenderedChart =
  | { id: string; title: string; status: "rendered"; svg: string; svgFile: string; pngFile?: string }
  | { id: string; title: string; status: "missing" | "failed"; reason: string };

export interface ChartRenderOptions {
  /** Directory with restyled <id>.vl.json files that override the built-in specs. */
  chartsDir?: string;
  png?: boolean;
  fontFiles?: string[];
}

export async function renderCharts(
  results: Results,
  outDir: string,
  options: ChartRenderOptions = {},
  charts: readonly ChartDefinition[] = RUN_CHARTS,
): Promise<RenderedChart[]> {
  await mkdir(join(outDir, "charts"), { recursive: true });
  const out: RenderedChart[] = [];
  for (const chart of charts) out.push(await renderOne(chart, results, outDir, options));
  return out;
}

async function renderOne(
  chart: ChartDefinition,
  results: Results,
  outDir: string,
  options: ChartRenderOptions,
): Promise<RenderedChart> {
  const { id, title } = chart;
  try {
    const data = chart.data(results);
    if ("missing" in data) return { id, title, status: "missing", reason: data.missing };
    const { spec, path } = await loadSpec(id, options.chartsDir);
    const svg = await renderSvg(injectRows(spec, data.rows), path);
    const svgFile = await writeFileAtomic(join(outDir, "charts", `${id}.svg`), svg);
    if (options.png === false) return { id, title, status: "rendered", svg, svgFile };
    const pngOptions = options.fontFiles ? { fontFiles: options.fontFiles } : {};
    const pngFile = await writeFileAtomic(join(outDir, "charts", `${id}.png`), renderPng(svg, pngOptions));
    return { id, title, status: "rendered", svg, svgFile, pngFile };
  } catch (err) {
    return { id, title, status: "failed", reason: describeError(err) };
  }
}

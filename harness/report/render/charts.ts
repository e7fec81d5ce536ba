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
import { renderPngAsync, resolveFontFile } from "./png.ts";
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
  // A missing font is a setup problem for the whole report, not one chart's failure.
  const fontFiles = options.png === false ? [] : (options.fontFiles ?? [resolveFontFile()]);
  const pending: Array<Promise<RenderedChart>> = [];
  for (const chart of charts)
    pending.push((await renderOne(chart, results, outDir, { ...options, fontFiles })).done);
  return Promise.all(pending);
}

/**
 * Builds the SVG now; `done` resolves once the PNG (rasterized in the background) is written.
 * (Wrapped in an object: an async function returning a bare promise would wait for it.)
 */
async function renderOne(
  chart: ChartDefinition,
  results: Results,
  outDir: string,
  options: ChartRenderOptions,
): Promise<{ done: Promise<RenderedChart> }> {
  const { id, title } = chart;
  try {
    const data = chart.data(results);
    if ("missing" in data)
      return { done: Promise.resolve({ id, title, status: "missing", reason: data.missing }) };
    const { spec, path } = await loadSpec(id, options.chartsDir);
    const svg = await renderSvg(injectRows(spec, data.rows), path);
    const svgFile = await writeFileAtomic(join(outDir, "charts", `${id}.svg`), svg);
    if (options.png === false)
      return { done: Promise.resolve({ id, title, status: "rendered", svg, svgFile }) };
    const pngOptions = options.fontFiles ? { fontFiles: options.fontFiles } : {};
    const done = renderPngAsync(svg, pngOptions)
      .then((png) => writeFileAtomic(join(outDir, "charts", `${id}.png`), png))
      .then(
        (pngFile): RenderedChart => ({ id, title, status: "rendered", svg, svgFile, pngFile }),
        (err: unknown): RenderedChart => ({
          id,
          title,
          status: "failed",
          reason: `PNG: ${describeError(err)}`,
        }),
      );
    return { done };
  } catch (err) {
    return { done: Promise.resolve({ id, title, status: "failed", reason: describeError(err) }) };
  }
}

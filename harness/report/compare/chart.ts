/** The comparison chart: change and interval per metric/stat, rendered like the run charts (charts/compare.vl.json). */
import { join } from "node:path";
import { writeFileAtomic } from "../../results/write.ts";
import type { ChartRow } from "../chart-data/types.ts";
import { renderPng } from "../render/png.ts";
import { injectRows, loadSpec } from "../render/spec.ts";
import { renderSvg } from "../render/svg.ts";
import type { Comparison } from "./compare.ts";

export function comparisonRows(c: Comparison): ChartRow[] {
  return c.rows
    .filter((r) => r.changePercent !== null && r.verdict !== "missing")
    .map((r) => ({
      label: `${r.metric} ${r.stat}`,
      change: r.changePercent,
      ciLow: r.ciPercent?.[0] ?? r.changePercent,
      ciHigh: r.ciPercent?.[1] ?? r.changePercent,
      verdict: r.verdict,
      minEffect: c.options.minEffectPercent,
      minEffectNeg: -c.options.minEffectPercent,
    }));
}

export async function renderComparisonChart(
  c: Comparison,
  outDir: string,
  options: { chartsDir?: string; png?: boolean } = {},
): Promise<string[]> {
  const { spec, path } = await loadSpec("compare", options.chartsDir);
  const svg = await renderSvg(injectRows(spec, comparisonRows(c)), path);
  const files = [await writeFileAtomic(join(outDir, "comparison.svg"), svg)];
  if (options.png !== false)
    files.push(await writeFileAtomic(join(outDir, "comparison.png"), renderPng(svg)));
  return files;
}

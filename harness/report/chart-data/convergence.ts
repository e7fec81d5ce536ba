/**
 * Objects Ready over time — the picture a scale test is read by: Sites whose create was seen Ready
 * and Paths reporting a state, against the Paths the mesh implies, from the run's per-second
 * counts (harness/run/object-counts.ts).
 */
import { type ChartData, type ChartRow, missing, type SeriesSource, thin } from "./types.ts";

export const CONVERGENCE_SERIES = [
  ["Sites Ready", "sites_ready_total"],
  ["Paths reporting", "paths_reporting"],
  ["Paths expected", "paths_expected"],
] as const;

export function convergenceData(results: SeriesSource): ChartData {
  const rows: ChartRow[] = [];
  for (const [series, name] of CONVERGENCE_SERIES) {
    const m = results.metrics[name];
    if (m?.type !== "series") continue;
    for (const [t, value] of thin(m.points)) rows.push({ series, t, value });
  }
  return rows.some((r) => r.series !== "Paths expected")
    ? { rows }
    : missing(
        "the run recorded no sites_ready_total or paths_reporting series (runs before they were recorded)",
      );
}

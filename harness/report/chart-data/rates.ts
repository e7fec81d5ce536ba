/** Load-driver and operator throughput charts built from series (or single gauge values). */
import type { Metric } from "../../results/schema.ts";
import { type ChartData, type ChartRow, missing, type SeriesSource, thin } from "./types.ts";

/** A series as points; a gauge or counter as a flat line over the run. */
function points(metric: Metric | undefined, durationSeconds: number): Array<[number, number]> | undefined {
  if (!metric) return undefined;
  if (metric.type === "series") return thin(metric.points);
  if (metric.type === "gauge" || metric.type === "counter") {
    return [
      [0, metric.value],
      [durationSeconds, metric.value],
    ];
  }
  return undefined;
}

export function rateData(results: SeriesSource): ChartData {
  const rows: ChartRow[] = [];
  const found: string[] = [];
  for (const [series, name] of [
    ["target", "target_rate"],
    ["achieved", "achieved_rate"],
  ] as const) {
    const p = points(results.metrics[name], results.run.durationSeconds);
    if (!p || p.length === 0) continue;
    found.push(name);
    for (const [t, value] of p) rows.push({ series, t, value });
  }
  if (found.length === 0) return missing("neither target_rate nor achieved_rate was recorded");
  return { rows };
}

export function workqueueData(results: SeriesSource): ChartData {
  const rows: ChartRow[] = [];
  for (const [label, name] of [
    ["workqueue depth (items)", "workqueue_depth"],
    ["reconcile rate (1/s)", "reconcile_rate"],
  ] as const) {
    for (const [t, value] of points(results.metrics[name], results.run.durationSeconds) ?? []) {
      rows.push({ metric: label, t, value });
    }
  }
  return rows.length > 0 ? { rows } : missing("neither workqueue_depth nor reconcile_rate was recorded");
}

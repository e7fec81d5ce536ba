/**
 * The cost curve: operator CPU and RSS at each checkpoint's object count, with an ordinary
 * least-squares line where the checkpoints carry one (./trend.ts). The slope per 1000 objects is
 * the figure people compare across releases.
 */
import type { Checkpoint, Results } from "../../results/schema.ts";
import { type LinearFit, leastSquares } from "../../statistics/least-squares.ts";
import { COST_SLOPE_RULE, judgeTrend, type Trend } from "./trend.ts";
import { type ChartData, type ChartRow, missing } from "./types.ts";

export interface CostSlope {
  key: "operator_cpu_cores" | "operator_rss_bytes";
  label: string;
  unit: string;
  /** Increase per 1000 objects, in `unit` (the fit's, whether or not it is meaningful). */
  per1000: number;
  fit: LinearFit;
  trend: Trend;
}

const PANELS = [
  { key: "operator_cpu_cores", name: "Operator CPU", unit: "cores", scale: 1, digits: 3 },
  { key: "operator_rss_bytes", name: "Operator RSS", unit: "MiB", scale: 1 / (1024 * 1024), digits: 1 },
] as const;

export function costSlopes(checkpoints: readonly Checkpoint[]): CostSlope[] {
  const out: CostSlope[] = [];
  for (const panel of PANELS) {
    const pts = observed(checkpoints, panel.key, panel.scale);
    const fit = leastSquares(pts);
    if (fit)
      out.push({
        key: panel.key,
        label: panel.name,
        unit: panel.unit,
        per1000: fit.slope * 1000,
        fit,
        trend: judgeTrend(pts, COST_SLOPE_RULE),
      });
  }
  return out;
}

function observed(checkpoints: readonly Checkpoint[], key: string, scale: number): Array<[number, number]> {
  return checkpoints
    .filter((c) => typeof c[key] === "number")
    .map((c) => [c.objects, (c[key] as number) * scale] as [number, number]);
}

export function costCurveData(results: Pick<Results, "checkpoints">): ChartData {
  if (results.checkpoints.length === 0)
    return missing("no checkpoints (only scale scenarios record the cost curve)");
  const rows: ChartRow[] = [];
  for (const panel of PANELS) {
    const pts = observed(results.checkpoints, panel.key, panel.scale);
    if (pts.length === 0) continue;
    const trend = judgeTrend(pts, COST_SLOPE_RULE);
    const fit = trend.meaningful ? trend.fit : undefined;
    const title = fit
      ? `${panel.name} (${panel.unit}) — slope ${(fit.slope * 1000).toFixed(panel.digits)} ${panel.unit} / 1000 objects (R² ${fit.r2.toFixed(2)})`
      : `${panel.name} (${panel.unit}) — no slope: ${trend.meaningful ? "" : trend.reason.replace(/ \(.*$/, "")}`;
    for (const [objects, value] of pts) rows.push({ panel: title, objects, value, kind: "observed" });
    if (fit) {
      const xs = pts.map((p) => p[0]);
      for (const x of [Math.min(...xs), Math.max(...xs)]) {
        rows.push({ panel: title, objects: x, value: fit.intercept + fit.slope * x, kind: "fit" });
      }
    }
  }
  return rows.length > 0
    ? { rows }
    : missing("checkpoints carry neither operator_cpu_cores nor operator_rss_bytes");
}

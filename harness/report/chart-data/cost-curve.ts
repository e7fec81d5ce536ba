/**
 * The cost curve: operator CPU and RSS at each checkpoint's object count, with an ordinary
 * least-squares line. The slope per 1000 objects is the figure people compare across releases.
 */
import type { Checkpoint, Results } from "../../results/schema.ts";
import { type ChartData, type ChartRow, missing } from "./types.ts";

export interface LinearFit {
  slope: number;
  intercept: number;
  n: number;
}

/** Ordinary least squares y = intercept + slope·x; undefined for < 2 points or a vertical line. */
export function leastSquares(points: ReadonlyArray<readonly [number, number]>): LinearFit | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, n };
}

export interface CostSlope {
  key: "operator_cpu_cores" | "operator_rss_bytes";
  label: string;
  unit: string;
  /** Increase per 1000 objects, in `unit`. */
  per1000: number;
  fit: LinearFit;
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
      out.push({ key: panel.key, label: panel.name, unit: panel.unit, per1000: fit.slope * 1000, fit });
  }
  return out;
}

function observed(checkpoints: readonly Checkpoint[], key: string, scale: number): Array<[number, number]> {
  return checkpoints
    .filter((c) => typeof c[key] === "number")
    .map((c) => [c.objects, (c[key] as number) * scale] as [number, number]);
}

export function costCurveData(results: Results): ChartData {
  if (results.checkpoints.length === 0)
    return missing("no checkpoints (only scale scenarios record the cost curve)");
  const rows: ChartRow[] = [];
  for (const panel of PANELS) {
    const pts = observed(results.checkpoints, panel.key, panel.scale);
    if (pts.length === 0) continue;
    const fit = leastSquares(pts);
    const title = fit
      ? `${panel.name} (${panel.unit}) — slope ${(fit.slope * 1000).toFixed(panel.digits)} ${panel.unit} / 1000 objects`
      : `${panel.name} (${panel.unit}) — slope needs ≥ 2 checkpoints`;
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

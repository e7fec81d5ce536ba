/** Top hot functions of the operator's CPU profile (profile.hotPaths), by self time. */
import type { Results } from "../../results/schema.ts";
import { type ChartData, missing } from "./types.ts";

export const TOP_FUNCTIONS = 15;

export function hotPathsData(results: Results): ChartData {
  const hot = results.profile?.hotPaths;
  if (!hot || hot.length === 0)
    return missing("no CPU profile (run with `patronus-bench profile` to record profile.hotPaths)");
  const withShare = hot.filter((h) => typeof h.selfPercent === "number");
  if (withShare.length === 0) return missing("profile.hotPaths has no selfPercent values");
  const rows = [...withShare]
    .sort((a, b) => (b.selfPercent ?? 0) - (a.selfPercent ?? 0))
    .slice(0, TOP_FUNCTIONS)
    .map((h) => ({ function: h.function, module: h.module ?? "unknown", selfPercent: h.selfPercent ?? 0 }));
  return { rows };
}

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
    .map((h) => ({
      function: h.function,
      module: h.module ?? "unknown",
      selfPercent: h.selfPercent ?? 0,
      where: where(h),
    }));
  // One bar per function: same-named functions ("(anonymous)", two `reconcile`s) get their location.
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.function, (counts.get(r.function) ?? 0) + 1);
  const seen = new Map<string, number>();
  return {
    rows: rows.map(({ where, ...r }) => {
      if ((counts.get(r.function) ?? 0) < 2) return r;
      const n = (seen.get(r.function) ?? 0) + 1;
      seen.set(r.function, n);
      return { ...r, function: `${r.function} (${where ?? `#${n}`})` };
    }),
  };
}

function where(h: { url?: string | undefined; line?: unknown }): string | undefined {
  if (!h.url) return undefined;
  const file = h.url.split("/").at(-1) ?? h.url;
  return typeof h.line === "number" ? `${file}:${h.line}` : file;
}

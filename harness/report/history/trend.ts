/** Which figures a trend page follows per scenario, and the rows of its trend chart. */
import type { ChartRow } from "../chart-data/types.ts";
import type { HistoryEntry } from "./index-file.ts";

export interface TrendSeries {
  metric: string;
  stat: string;
  unit: string;
  /** Panel title, with the display unit. */
  label: string;
  /** Converts a stored value to the display unit. */
  scale: number;
}

const MAX_PANELS = 8;
const PREFERRED: ReadonlyArray<[string, string]> = [
  ["site_ready_latency", "p99"],
  ["update_observed_latency", "p99"],
  ["path_failover_convergence", "p99"],
  ["leader_failover_gap", "max"],
  ["operator_rss_bytes", "max"],
  ["operator_cpu_cores", "mean"],
  ["achieved_rate", "mean"],
  ["lost_updates", "value"],
];

/** Key figures recorded in these runs: the preferred ones first, then other latencies' p99. */
export function trendSeries(entries: readonly HistoryEntry[]): TrendSeries[] {
  const has = (metric: string, stat: string) => entries.some((e) => e.metrics[metric]?.[stat] !== undefined);
  const unitOf = (metric: string) => entries.find((e) => e.units[metric])?.units[metric] ?? "";
  const picked: Array<[string, string]> = PREFERRED.filter(([m, s]) => has(m, s));
  const latencies = [...new Set(entries.flatMap((e) => Object.keys(e.metrics)))]
    .filter((m) => unitOf(m) === "ms" && has(m, "p99") && !picked.some(([p]) => p === m))
    .sort();
  for (const m of latencies) picked.push([m, "p99"]);
  return picked.slice(0, MAX_PANELS).map(([metric, stat]) => {
    const unit = unitOf(metric);
    const bytes = unit === "bytes";
    return {
      metric,
      stat,
      unit: bytes ? "MiB" : unit,
      label: `${metric} ${stat} (${bytes ? "MiB" : unit})`,
      scale: bytes ? 1 / (1024 * 1024) : 1,
    };
  });
}

export function trendRows(entries: readonly HistoryEntry[], series: readonly TrendSeries[]): ChartRow[] {
  const rows: ChartRow[] = [];
  for (const [order, s] of series.entries()) {
    for (const e of entries) {
      const v = e.metrics[s.metric]?.[s.stat];
      if (v === undefined) continue;
      rows.push({
        panel: s.label,
        order,
        startedAt: e.startedAt,
        value: v * s.scale,
        verdict: e.verdict,
        commit: e.git.commit.slice(0, 12),
      });
    }
  }
  return rows;
}

export function groupByScenario(entries: readonly HistoryEntry[]): Map<string, HistoryEntry[]> {
  const out = new Map<string, HistoryEntry[]>();
  for (const e of entries) out.set(e.scenario, [...(out.get(e.scenario) ?? []), e]);
  return out;
}

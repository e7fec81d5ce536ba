/**
 * Merges the metrics of several repeats into one map: distributions by histogram addition,
 * counters summed, gauges averaged, series concatenated per repeat (time-shifted so that the
 * repeats follow each other on one axis).
 */
import { Distribution } from "./distribution.ts";
import type { Metric, MetricMap, SeriesMetric } from "./types.ts";

export function mergeMetrics(runs: readonly MetricMap[]): MetricMap {
  const names = new Set(runs.flatMap((m) => Object.keys(m)));
  const out: MetricMap = {};
  for (const name of names) {
    const parts = runs.map((m) => m[name]).filter((m): m is Metric => m !== undefined);
    const merged = mergeOne(parts);
    if (merged) out[name] = merged;
  }
  return out;
}

function mergeOne(parts: Metric[]): Metric | undefined {
  const first = parts[0];
  if (!first) return undefined;
  const same = parts.filter((p) => p.type === first.type);
  switch (first.type) {
    case "distribution":
      return Distribution.merge(
        same.map((p) => Distribution.decode(p as typeof first)),
        first.unit,
      ).toMetric();
    case "counter":
      return {
        type: "counter",
        unit: first.unit,
        value: same.reduce((s, p) => s + (p as typeof first).value, 0),
      };
    case "gauge":
      return {
        type: "gauge",
        unit: first.unit,
        value: same.reduce((s, p) => s + (p as typeof first).value, 0) / same.length,
      };
    case "series": {
      const points: Array<[number, number]> = [];
      let offset = 0;
      for (const p of same as SeriesMetric[]) {
        for (const [t, v] of p.points) points.push([t + offset, v]);
        offset += (p.points.at(-1)?.[0] ?? 0) + 1;
      }
      return { type: "series", unit: first.unit, points };
    }
  }
}

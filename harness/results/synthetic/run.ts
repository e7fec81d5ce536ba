/**
 * Building blocks of synthetic results: run metadata that says loudly it is synthetic, series
 * sampled from a function of time, and windowed latency percentiles.
 */

import type { SeededRandom } from "../../random/seeded.ts";
import { distributionFromValues } from "../histogram.ts";
import { quantileSeriesName } from "../metric-catalog.ts";
import type { Metric, Results, SeriesMetric } from "../schema.ts";

export const SYNTHETIC_NOTE =
  "SYNTHETIC FIXTURE generated from seeded random data by fixtures/results/generate.ts — not a measurement";

export function syntheticRun(opts: {
  scenario: string;
  seed: number;
  startedAt: string;
  durationSeconds: number;
  definition: Record<string, unknown>;
  repeat?: { index: number; of: number };
}): Results["run"] {
  const start = new Date(opts.startedAt);
  const finished = new Date(start.getTime() + opts.durationSeconds * 1000);
  const suffix = opts.repeat ? `-repeat-${opts.repeat.index}` : "";
  return {
    id: `synthetic-${opts.scenario}-${opts.startedAt.replace(/[-:]/g, "").replace(/\.\d+Z$|Z$/, "Z")}${suffix}`,
    scenario: opts.scenario,
    startedAt: start.toISOString(),
    finishedAt: finished.toISOString(),
    durationSeconds: opts.durationSeconds,
    ...(opts.repeat ? { repeat: opts.repeat } : {}),
    git: { commit: "0000000000000000000000000000000000000000", dirty: false },
    operator: { name: "reference", origin: "built-in", version: "synthetic", source: null },
    versions: {
      node: "synthetic",
      kubernetes: "synthetic",
      etcd: "synthetic",
      operator: "synthetic",
      harness: "synthetic",
    },
    machine: {
      cores: 2,
      memoryBytes: 8 * 1024 ** 3,
      cpuModel: "synthetic fixture (no machine)",
      platform: "linux",
    },
    cluster: { provider: "embedded", knobs: {}, etcdFsyncDisabled: true },
    seed: opts.seed,
    definition: { synthetic: true, note: SYNTHETIC_NOTE, ...opts.definition },
  };
}

export function series(
  unit: string,
  from: number,
  to: number,
  step: number,
  valueAt: (t: number) => number,
): SeriesMetric {
  const points: Array<[number, number]> = [];
  for (let t = from; t <= to + 1e-9; t += step) {
    points.push([round(t, 3), round(Math.max(0, valueAt(t)), 4)]);
  }
  return { type: "series", unit, points };
}

/** Latency samples stamped with completion time → p50/p90/p99 series over windows. */
export function quantileSeries(
  metric: string,
  samples: ReadonlyArray<{ t: number; value: number }>,
  windowSeconds: number,
): Record<string, Metric> {
  const windows = new Map<number, number[]>();
  for (const s of samples) {
    const w = Math.floor(s.t / windowSeconds) * windowSeconds + windowSeconds;
    const list = windows.get(w) ?? [];
    list.push(s.value);
    windows.set(w, list);
  }
  const out: Record<string, Metric> = {};
  for (const q of [0.5, 0.9, 0.99]) {
    const points: Array<[number, number]> = [...windows.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([t, values]) => [t, quantile(values, q)]);
    out[quantileSeriesName(metric, q)] = { type: "series", unit: "ms", points };
  }
  return out;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0, 3);
}

export function latencySamples(
  random: SeededRandom,
  count: number,
  median: number,
  sigma: number,
  tFrom: number,
  tTo: number,
): Array<{ t: number; value: number }> {
  return Array.from({ length: count }, (_, i) => ({
    t: tFrom + ((tTo - tFrom) * i) / count,
    value: random.logNormal(median, sigma),
  }));
}

export function distribution(samples: ReadonlyArray<{ value: number }>, unit = "ms"): Metric {
  return distributionFromValues(
    samples.map((s) => s.value),
    unit,
  );
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

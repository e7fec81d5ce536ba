/**
 * Average CPU of each measured process per phase, from the `<process>_cpu_cores` series and the
 * phase timings of a results file. A failed latency gate on a machine whose cores were all busy
 * measures the machine as much as the operator: the end-of-run summary, summary.md and index.html
 * show this table so a reader can tell the two apart without opening the charts.
 */
import type { Results } from "./schema.ts";

/** The processes whose CPU the process-usage measurement records, in display order. */
export const CPU_PROCESSES = [
  "apiserver",
  "etcd",
  "controller_manager",
  "operator",
  "mesh",
  "harness",
] as const;
export type CpuProcess = (typeof CPU_PROCESSES)[number];

/** Column headings: kube-controller-manager's full name would not fit a table column. */
export const CPU_PROCESS_LABELS: Readonly<Record<CpuProcess, string>> = {
  apiserver: "apiserver",
  etcd: "etcd",
  controller_manager: "kcm",
  operator: "operator",
  mesh: "mesh",
  harness: "harness",
};

/** A phase counts as saturated when the measured processes used this share of the machine's cores. */
export const SATURATED_SHARE = 0.9;

/** Shorter phases (an instant wait) lie inside one sample interval: their "average" is a neighbour's. */
const MIN_PHASE_SECONDS = 1;

export interface PhaseCpu {
  phase: string;
  seconds: number;
  /** Average cores over the phase, per process with samples covering it. */
  cores: Partial<Record<CpuProcess, number>>;
  total: number;
  saturated: boolean;
  /** The operator ran in a container with a CPU limit and used ≥ SATURATED_SHARE of it. */
  operatorAtLimit: boolean;
}

export interface PhaseCpuTable {
  machineCores: number;
  /** The operator's container CPU limit (container runtime), if it had one. */
  operatorCpuLimit: number | undefined;
  /** Processes with a CPU series in this run (the kind and kubeconfig providers have no control plane series). */
  processes: CpuProcess[];
  phases: PhaseCpu[];
}

/**
 * Each series point [t, v] is the average over (previous t, t]; a phase's average weights each
 * interval by its overlap with the phase. Phases under a second, or that sample intervals cover
 * less than half of, are left out.
 */
export function phaseCpu(results: Results): PhaseCpuTable {
  const runStart = Date.parse(results.run.startedAt);
  const seconds = (v: number | string) => (typeof v === "number" ? v : (Date.parse(v) - runStart) / 1000);
  const series = new Map<CpuProcess, Array<[number, number]>>();
  for (const p of CPU_PROCESSES) {
    const m = results.metrics[`${p}_cpu_cores`];
    if (m?.type === "series" && m.points.length >= 2) series.set(p, m.points as Array<[number, number]>);
  }
  const processes = CPU_PROCESSES.filter((p) => series.has(p));
  const machineCores = results.run.machine.cores;
  const limit = results.metrics.operator_cpu_limit_cores;
  const operatorCpuLimit = limit?.type === "gauge" && limit.value > 0 ? limit.value : undefined;
  const phases: PhaseCpu[] = [];
  for (const phase of results.phases) {
    const from = seconds(phase.startedAt);
    const to = seconds(phase.finishedAt);
    if (!(to - from >= MIN_PHASE_SECONDS)) continue;
    const cores: Partial<Record<CpuProcess, number>> = {};
    for (const [p, points] of series) {
      const avg = overlapAverage(points, from, to);
      if (avg !== undefined) cores[p] = avg;
    }
    const values = Object.values(cores);
    if (values.length === 0) continue;
    const total = values.reduce((a, b) => a + b, 0);
    phases.push({
      phase: phase.name,
      seconds: to - from,
      cores,
      total,
      saturated: total >= SATURATED_SHARE * machineCores,
      operatorAtLimit:
        operatorCpuLimit !== undefined && (cores.operator ?? 0) >= SATURATED_SHARE * operatorCpuLimit,
    });
  }
  return { machineCores, operatorCpuLimit, processes, phases };
}

/** A phase's marks, worded once for the summary, summary.md and index.html. */
export function phaseFlags(p: PhaseCpu): string[] {
  return [...(p.saturated ? ["saturated"] : []), ...(p.operatorAtLimit ? ["operator at its CPU limit"] : [])];
}

function overlapAverage(points: ReadonlyArray<readonly [number, number]>, from: number, to: number) {
  let weighted = 0;
  let covered = 0;
  for (let i = 1; i < points.length; i++) {
    const [t0] = points[i - 1]!;
    const [t1, value] = points[i]!;
    const overlap = Math.min(t1, to) - Math.max(t0, from);
    if (overlap <= 0) continue;
    weighted += value * overlap;
    covered += overlap;
  }
  // Less than half the phase covered (a phase shorter than the sample interval at the run's
  // edges) would be a guess, not an average.
  return covered >= (to - from) / 2 ? weighted / covered : undefined;
}

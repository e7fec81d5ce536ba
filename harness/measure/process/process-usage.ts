/**
 * CPU (cores) and RSS over time of the processes under test and of the harness itself:
 * operator_cpu_cores / operator_rss_bytes (summed over live replicas), mesh_cpu_cores /
 * mesh_rss_bytes, harness_cpu_cores, and the control plane's apiserver_/etcd_/controller_manager_
 * cpu_cores and _rss_bytes when the provider runs them locally. Sampled from /proc every sampleInterval.
 */
import { cpus } from "node:os";
import {
  OPERATOR_CPU_PER_CONTROL_PLANE_CPU,
  operatorCpuPerControlPlaneCpu,
} from "../../results/control-plane-cpu.ts";
import type { Measurement, MeasurementContext } from "../measurement.ts";
import { SamplingLoop } from "../sampling-loop.ts";
import { coresBetween, type ProcSample, readProcSample } from "./proc-stat.ts";

export type Group = "operator" | "mesh" | "harness" | "apiserver" | "etcd" | "controller_manager";
/** Groups with cpu/rss series when seen; the harness gets its CPU series always. */
const SERVED = ["operator", "mesh", "apiserver", "etcd", "controller_manager"] as const;

/** The processes a run measures, by group: what the machine-state measurement counts as "measured". */
export function measuredProcesses(ctx: MeasurementContext): Array<[Group, number]> {
  const out: Array<[Group, number]> = [["harness", process.pid]];
  for (const r of ctx.operator.replicas()) if (r.running && r.pid) out.push(["operator", r.pid]);
  const meshPid = ctx.mesh.pid();
  for (const pid of ctx.mesh.pids?.() ?? (meshPid ? [meshPid] : [])) out.push(["mesh", pid]);
  const cp = ctx.controlPlane.pids();
  if (cp["kube-apiserver"]) out.push(["apiserver", cp["kube-apiserver"]]);
  if (cp.etcd) out.push(["etcd", cp.etcd]);
  // Its garbage collector follows every owned object (all Paths): a few % of the machine here.
  if (cp["kube-controller-manager"]) out.push(["controller_manager", cp["kube-controller-manager"]]);
  return out;
}

export class ProcessUsageMeasurement implements Measurement {
  readonly name = "process-usage";
  private loop: SamplingLoop | undefined;
  private readonly previous = new Map<number, ProcSample>();
  private readonly latest: Record<string, number> = {};
  /** Cores all measured processes used in the last interval: the live view of saturation. */
  private measuredCores: number | undefined;
  /** Counted as results.json's run.machine.cores is, so the live figure and the summary's agree. */
  private readonly machineCores = Math.max(1, cpus().length);

  async start(ctx: MeasurementContext): Promise<void> {
    await this.sample(ctx);
    this.loop = new SamplingLoop(ctx.definition.sampleInterval, () => this.sample(ctx));
  }

  private pids(ctx: MeasurementContext): Array<[Group, number]> {
    return measuredProcesses(ctx);
  }

  private async sample(ctx: MeasurementContext): Promise<void> {
    const totals: Record<Group, { cores: number; rss: number; seen: boolean }> = {
      operator: { cores: 0, rss: 0, seen: false },
      mesh: { cores: 0, rss: 0, seen: false },
      harness: { cores: 0, rss: 0, seen: false },
      apiserver: { cores: 0, rss: 0, seen: false },
      etcd: { cores: 0, rss: 0, seen: false },
      controller_manager: { cores: 0, rss: 0, seen: false },
    };
    let measured = false;
    for (const [group, pid] of this.pids(ctx)) {
      const s = await readProcSample(pid);
      if (!s) continue;
      const prev = this.previous.get(pid);
      // Too short an interval turns tick rounding (10 ms) into noise: keep the older sample.
      if (prev && s.at - prev.at < 500) continue;
      this.previous.set(pid, s);
      const t = totals[group];
      t.rss += s.rssBytes;
      t.seen = true;
      if (prev) {
        t.cores += coresBetween(prev, s);
        measured = true;
      }
    }
    if (!measured) {
      // CPU needs two samples, RSS only one: a checkpoint reached before the second sample (a
      // small burst Ready within the first interval) still gets the memory figures.
      for (const group of SERVED)
        if (totals[group].seen) this.latest[`${group}_rss_bytes`] = totals[group].rss;
      return;
    }
    const at = performance.now();
    for (const group of SERVED) {
      const t = totals[group];
      if (!t.seen) continue;
      ctx.store.point(`${group}_cpu_cores`, round(t.cores), "cores", at);
      ctx.store.point(`${group}_rss_bytes`, t.rss, "bytes", at);
      this.latest[`${group}_cpu_cores`] = round(t.cores);
      this.latest[`${group}_rss_bytes`] = t.rss;
    }
    ctx.store.point("harness_cpu_cores", round(totals.harness.cores), "cores", at);
    this.latest.harness_cpu_cores = round(totals.harness.cores);
    this.measuredCores = Object.values(totals).reduce((sum, t) => sum + t.cores, 0);
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    await this.loop?.stop();
    await this.sample(ctx);
    // Memory growth (soak): least-squares slope of operator RSS over the second half of the run
    // (start-up and the initial population are growth by design, not a leak). Needs a run long
    // enough for the second half to be steady state: minutes, not seconds.
    const points = ctx.store.seriesPoints("operator_rss_bytes");
    const tail = points.slice(Math.floor(points.length / 2));
    const slope = slopePerSecond(tail);
    if (slope !== undefined)
      ctx.store.gauge("operator_rss_slope_bytes_per_hour", Math.round(slope * 3600), "bytes/h");
    const ratio = operatorCpuPerControlPlaneCpu((name) => ctx.store.seriesPoints(name));
    if (ratio !== undefined) ctx.store.gauge(OPERATOR_CPU_PER_CONTROL_PLANE_CPU, ratio, "ratio");
  }

  checkpoint(): Record<string, number> {
    return { ...this.latest };
  }

  progress(): string | undefined {
    const rss = this.latest.operator_rss_bytes;
    const cpu = this.latest.operator_cpu_cores;
    if (rss === undefined) return undefined;
    const busy =
      this.measuredCores === undefined
        ? ""
        : `, all measured ${this.measuredCores.toFixed(2)}/${this.machineCores} cores`;
    return `operator ${cpu?.toFixed(2)} cores ${Math.round(rss / 2 ** 20)} MiB${busy}`;
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

export function slopePerSecond(points: ReadonlyArray<readonly [number, number]>): number | undefined {
  if (points.length < 3) return undefined;
  const n = points.length;
  const mt = points.reduce((s, p) => s + p[0], 0) / n;
  const mv = points.reduce((s, p) => s + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, v] of points) {
    num += (t - mt) * (v - mv);
    den += (t - mt) ** 2;
  }
  return den === 0 ? undefined : num / den;
}

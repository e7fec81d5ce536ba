/**
 * What else the machine was doing: unmeasured_cpu_cores (series: the whole machine's busy CPU
 * from /proc/stat minus what the processes the run measures used — another job, a browser, a
 * build) and cpu_steal_seconds (CPU the hypervisor gave away, where the kernel reports steal).
 * A latency measured while these were large says more about the machine than about the code.
 */
import type { Measurement, MeasurementContext } from "../measurement.ts";
import { readProcSample } from "../process/proc-stat.ts";
import { measuredProcesses } from "../process/process-usage.ts";
import { SamplingLoop } from "../sampling-loop.ts";
import { type CpuTotals, readCpuTotals } from "./cpu-totals.ts";

const MIN_INTERVAL_MS = 1000;

interface Reading {
  at: number;
  totals: CpuTotals;
  /** CPU seconds measured processes used since the previous reading. */
  measuredSeconds: number;
}

export class MachineStateMeasurement implements Measurement {
  readonly name = "machine-state";
  private loop: SamplingLoop | undefined;
  private readonly perPid = new Map<number, number>();
  private first: Reading | undefined;
  private previous: Reading | undefined;

  async start(ctx: MeasurementContext): Promise<void> {
    this.first = await this.read(ctx);
    this.previous = this.first;
    const every = Math.max(ctx.definition.sampleInterval, MIN_INTERVAL_MS);
    this.loop = new SamplingLoop(every, () => this.sample(ctx));
  }

  private async read(ctx: MeasurementContext): Promise<Reading | undefined> {
    const totals = await readCpuTotals();
    if (!totals) return undefined;
    let measuredSeconds = 0;
    for (const [, pid] of measuredProcesses(ctx)) {
      const s = await readProcSample(pid);
      if (!s) continue;
      const before = this.perPid.get(pid);
      // A process first seen now counts from now: its earlier CPU is not this interval's.
      if (before !== undefined) measuredSeconds += Math.max(0, s.cpuSeconds - before);
      this.perPid.set(pid, s.cpuSeconds);
    }
    return { at: performance.now(), totals, measuredSeconds };
  }

  private async sample(ctx: MeasurementContext): Promise<void> {
    const now = await this.read(ctx);
    const prev = this.previous;
    if (!now || !prev) return;
    const unmeasured = unmeasuredCores(prev.totals, now.totals, now.measuredSeconds);
    if (unmeasured === undefined) return;
    ctx.store.point("unmeasured_cpu_cores", Math.round(unmeasured * 1000) / 1000, "cores", now.at);
    this.previous = now;
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    await this.loop?.stop();
    await this.sample(ctx);
    const first = this.first?.totals.stealSeconds;
    const last = this.previous?.totals.stealSeconds;
    if (first !== undefined && last !== undefined)
      ctx.store.gauge("cpu_steal_seconds", Math.round((last - first) * 100) / 100, "s");
  }
}

/**
 * Cores the unmeasured processes used between two /proc/stat reads, given what the measured ones
 * used meanwhile. Elapsed time is the kernel's own (all CPU time over the CPUs), not a wall clock
 * read apart from /proc/stat: the walk over the measured processes between reads may take longer
 * one time than the next, and a shorter wall interval than the kernel's made 1 s of busy CPU
 * look like several cores. Never more than the machine has.
 */
export function unmeasuredCores(
  prev: CpuTotals,
  now: CpuTotals,
  measuredSeconds: number,
): number | undefined {
  const elapsed = (now.allSeconds - prev.allSeconds) / now.cpus;
  if (elapsed <= 0) return undefined;
  const busy = now.busySeconds - prev.busySeconds;
  return Math.min(now.cpus, Math.max(0, (busy - measuredSeconds) / elapsed));
}

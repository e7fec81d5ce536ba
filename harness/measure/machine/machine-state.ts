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
    const wall = (now.at - prev.at) / 1000;
    if (wall <= 0) return;
    const busy = now.totals.busySeconds - prev.totals.busySeconds;
    const unmeasured = Math.max(0, (busy - now.measuredSeconds) / wall);
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

/**
 * mesh_cpu_cores and mesh_rss_bytes from the simulator's own /metrics (prom-client's process_*),
 * for a simulator that is no process of this host: a pod on a cluster the harness reaches only
 * through its API (kubeconfig). Where the simulator's processes are this host's (a process,
 * a container, a kind node's pod), /proc measures them (process-usage) and this stays idle.
 * A sharded simulator is reached through its router only, whose figures would pass for the
 * whole mesh's: then nothing is recorded, and an event says so.
 */
import type { Measurement, MeasurementContext } from "../measurement.ts";
import { parsePrometheusText, sumOf } from "../prometheus/parse.ts";
import { SamplingLoop } from "../sampling-loop.ts";
import { fetchText } from "./fetch-text.ts";

export class MeshMetricsMeasurement implements Measurement {
  readonly name = "mesh-metrics";
  private loop: SamplingLoop | undefined;
  private last: { at: number; cpuSeconds: number } | undefined;
  private failures = 0;
  private told = false;

  async start(ctx: MeasurementContext): Promise<void> {
    if (!ctx.mesh.metricsUrl) return;
    this.loop = new SamplingLoop(ctx.definition.sampleInterval, () => this.scrape(ctx));
  }

  private async scrape(ctx: MeasurementContext): Promise<void> {
    const url = ctx.mesh.metricsUrl;
    if (!url || ctx.mesh.pid() !== undefined || (ctx.mesh.pids?.().length ?? 0) > 0) return;
    if (ctx.definition.mesh.shards > 1) {
      if (!this.told)
        ctx.events.record("mesh.usage-unmeasured", this.name, {
          reason: "sharded simulator on a remote cluster",
        });
      this.told = true;
      return;
    }
    let text: string;
    try {
      text = await fetchText(url, 2000);
    } catch {
      this.failures++;
      return;
    }
    const { samples } = parsePrometheusText(text);
    const now = { at: performance.now(), cpuSeconds: sumOf(samples, "process_cpu_seconds_total") };
    const prev = this.last;
    this.last = now;
    ctx.store.point("mesh_rss_bytes", sumOf(samples, "process_resident_memory_bytes"), "bytes", now.at);
    // A restarted pod starts its counter again: skip that interval rather than record a negative rate.
    if (prev && now.cpuSeconds >= prev.cpuSeconds) {
      const cores = (now.cpuSeconds - prev.cpuSeconds) / ((now.at - prev.at) / 1000);
      ctx.store.point("mesh_cpu_cores", Math.round(cores * 1000) / 1000, "cores", now.at);
    }
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    await this.loop?.stop();
    if (this.failures > 0) ctx.events.record("scrape.failures", this.name, { count: this.failures });
  }
}

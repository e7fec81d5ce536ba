/**
 * doctor: clinic doctor's questions (is the event loop blocked? is it CPU-bound? GC pressure?
 * memory growing?) answered from built-in data, since clinic doctor does not run here (see
 * ../doctor/clinic.ts): the leader's event-loop delay, GC time, CPU and memory series from its
 * /metrics over the window, with a plain-language verdict per question.
 */
import { clinicDoctorStatus } from "../doctor/clinic.ts";
import { fitGrowth } from "../series/growth.ts";
import { ProcessSampler, type SeriesName, toSeries } from "../series/process-sampler.ts";
import type { ProfilerTool, ToolResult, WindowTarget } from "./tool.ts";

/** Same spirit as clinic doctor's rules of thumb. */
const LIMITS = { eventLoopP99Ms: 100, cpuCores: 0.9, gcShare: 0.1 };

function stats(points: [number, number][] | undefined): { mean: number; max: number } | undefined {
  if (!points || points.length === 0) return undefined;
  let sum = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (const [, v] of points) {
    sum += v;
    max = Math.max(max, v);
  }
  return { mean: Math.round((sum / points.length) * 1000) / 1000, max: Math.round(max * 1000) / 1000 };
}

export class DoctorTool implements ProfilerTool {
  readonly name = "doctor" as const;
  readonly needsInspector = false;
  private sampler: ProcessSampler | undefined;
  readonly clinic = clinicDoctorStatus();

  async start(w: WindowTarget): Promise<void> {
    this.sampler = new ProcessSampler(w.target.metricsUrl, w.now, 1000, w.target.pid);
    this.sampler.start();
  }

  async stop(_w: WindowTarget): Promise<ToolResult> {
    const points = (await this.sampler?.stop()) ?? [];
    const scrapeErrors = this.sampler?.errors ?? 0;
    const series = toSeries(points);
    const summary: Partial<Record<SeriesName, { mean: number; max: number }>> = {};
    for (const [name, points] of Object.entries(series) as [SeriesName, [number, number][]][]) {
      const s = stats(points);
      if (s) summary[name] = s;
    }
    const findings: string[] = [];
    const el = summary.event_loop_p99_ms;
    if (el && el.max > LIMITS.eventLoopP99Ms)
      findings.push(
        `event loop blocked: p99 delay up to ${el.max.toFixed(0)} ms (> ${LIMITS.eventLoopP99Ms} ms)`,
      );
    const cpu = summary.cpu_cores;
    if (cpu && cpu.mean > LIMITS.cpuCores)
      findings.push(`CPU-bound: ${cpu.mean.toFixed(2)} cores on average — profile with --tool cpu`);
    const gc = summary.gc_seconds_per_second;
    if (gc && gc.mean > LIMITS.gcShare)
      findings.push(
        `GC pressure: ${(gc.mean * 100).toFixed(0)} % of the time in GC — profile with --tool heap`,
      );
    const heapGrowth = series.heap_used_bytes ? fitGrowth(series.heap_used_bytes) : undefined;
    const rssGrowth = series.rss_bytes ? fitGrowth(series.rss_bytes) : undefined;
    if (heapGrowth?.growing || rssGrowth?.growing)
      findings.push("memory growing over the window — profile with --tool heap");
    const lines = [
      `${this.clinic.reason}; using built-in event-loop delay, GC and CPU series instead`,
      `${points.length} /metrics samples over the window${scrapeErrors ? ` (${scrapeErrors} scrapes failed)` : ""}`,
      ...Object.entries(summary).map(([k, v]) => `  ${k}: mean ${v.mean}, max ${v.max}`),
      findings.length
        ? `findings: ${findings.join("; ")}`
        : "findings: none (no blocked loop, CPU saturation, GC pressure or growth)",
    ];
    return {
      profile: {
        clinic: this.clinic,
        fallback: "built-in series from the leader's /metrics",
        series,
        summary,
        growth: { heapUsed: heapGrowth ?? null, rss: rssGrowth ?? null },
        findings,
        scrapes: { ok: points.length, failed: scrapeErrors },
      },
      artifacts: [],
      lines,
    };
  }
}

/**
 * Once a second during the window, reads the profiled process's own /metrics (prom-client's
 * default Node metrics, which the operator exports): CPU seconds, RSS, heap used, event-loop
 * delay and GC time. Built-in data only — this is what `doctor` falls back to and what `heap`
 * fits growth on. An operator that exports no process_* metrics (a Rust one without its client's
 * process collector) gets CPU and RSS from /proc instead. A failed scrape leaves a gap rather
 * than ending the window.
 */
import { readProcSample } from "../../measure/process/proc-stat.ts";
import { parsePrometheusText, type Sample, sumOf } from "../../measure/prometheus/parse.ts";
import { fetchText } from "../../measure/scrape/fetch-text.ts";

export interface ProcessPoint {
  /** Seconds since the run started. */
  t: number;
  cpuSeconds?: number;
  rssBytes?: number;
  heapUsedBytes?: number;
  eventLoopP99Ms?: number;
  eventLoopMaxMs?: number;
  gcSeconds?: number;
}

export type SeriesName =
  | "cpu_cores"
  | "rss_bytes"
  | "heap_used_bytes"
  | "event_loop_p99_ms"
  | "event_loop_max_ms"
  | "gc_seconds_per_second";

function pick(samples: readonly Sample[], name: string): number | undefined {
  const s = samples.find((x) => x.name === name);
  return s === undefined || !Number.isFinite(s.value) ? undefined : s.value;
}

export function pointFromMetrics(text: string, t: number): ProcessPoint {
  const { samples } = parsePrometheusText(text);
  const p: ProcessPoint = { t };
  const set = <K extends keyof ProcessPoint>(k: K, v: number | undefined) => {
    if (v !== undefined) p[k] = v;
  };
  set("cpuSeconds", pick(samples, "process_cpu_seconds_total"));
  set("rssBytes", pick(samples, "process_resident_memory_bytes"));
  set("heapUsedBytes", pick(samples, "nodejs_heap_size_used_bytes"));
  const p99 = pick(samples, "nodejs_eventloop_lag_p99_seconds");
  const max = pick(samples, "nodejs_eventloop_lag_max_seconds");
  set("eventLoopP99Ms", p99 === undefined ? undefined : p99 * 1000);
  set("eventLoopMaxMs", max === undefined ? undefined : max * 1000);
  if (samples.some((s) => s.name === "nodejs_gc_duration_seconds_sum"))
    p.gcSeconds = sumOf(samples, "nodejs_gc_duration_seconds_sum");
  return p;
}

/** Generous: under load prom-client takes seconds to render; a tick in flight skips the next ones. */
const SCRAPE_TIMEOUT_MS = 5000;

export class ProcessSampler {
  readonly points: ProcessPoint[] = [];
  /** Scrapes that failed or timed out (a busy operator can be slow to render /metrics). */
  errors = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private readonly url: string;
  private readonly now: () => number;
  private readonly intervalMs: number;

  /** The process, for CPU and RSS its /metrics do not carry. */
  private readonly pid: number | undefined;

  constructor(metricsUrl: string, now: () => number, intervalMs = 1000, pid?: number) {
    this.url = metricsUrl;
    this.now = now;
    this.intervalMs = intervalMs;
    this.pid = pid;
  }

  start(): void {
    const tick = () => {
      if (this.inFlight) return;
      // Timestamped when asked, not when answered: a slow answer describes the moment it was asked.
      const t = this.now();
      this.inFlight = fetchText(this.url, SCRAPE_TIMEOUT_MS)
        .then(async (text) => {
          const point = pointFromMetrics(text, t);
          if (this.pid !== undefined && (point.cpuSeconds === undefined || point.rssBytes === undefined)) {
            const proc = await readProcSample(this.pid);
            if (proc) {
              point.cpuSeconds ??= proc.cpuSeconds;
              point.rssBytes ??= proc.rssBytes;
            }
          }
          this.points.push(point);
        })
        .catch(() => {
          this.errors++;
        })
        .finally(() => {
          this.inFlight = undefined;
        });
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
  }

  async stop(): Promise<ProcessPoint[]> {
    clearInterval(this.timer);
    await this.inFlight;
    return this.points;
  }
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Gauges as they are; counters (CPU, GC seconds) as rates between consecutive points. */
export function toSeries(points: readonly ProcessPoint[]): Partial<Record<SeriesName, [number, number][]>> {
  const out: Partial<Record<SeriesName, [number, number][]>> = {};
  const push = (name: SeriesName, t: number, v: number | undefined) => {
    if (v === undefined || !Number.isFinite(v)) return;
    const list = out[name] ?? [];
    list.push([round(t), round(v)]);
    out[name] = list;
  };
  points.forEach((p, i) => {
    push("rss_bytes", p.t, p.rssBytes);
    push("heap_used_bytes", p.t, p.heapUsedBytes);
    push("event_loop_p99_ms", p.t, p.eventLoopP99Ms);
    push("event_loop_max_ms", p.t, p.eventLoopMaxMs);
    const prev = points[i - 1];
    if (!prev || p.t <= prev.t) return;
    const dt = p.t - prev.t;
    if (p.cpuSeconds !== undefined && prev.cpuSeconds !== undefined)
      push("cpu_cores", p.t, (p.cpuSeconds - prev.cpuSeconds) / dt);
    if (p.gcSeconds !== undefined && prev.gcSeconds !== undefined)
      push("gc_seconds_per_second", p.t, (p.gcSeconds - prev.gcSeconds) / dt);
  });
  return out;
}

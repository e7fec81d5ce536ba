/**
 * `--out prometheus-rw=URL`: the run's metrics pushed with Prometheus remote write while it runs,
 * every FLUSH_MS, then its final figures, thresholds and verdict when its results are written.
 *
 * Every series is named `patronus_bench_<metric>` and carries the run's labels (scenario, run_id,
 * git_commit, operator, cluster_provider) beside the metric's own. Counters and gauges are sent
 * as their current value. A distribution is sent twice over, sharing `_count` and `_sum`: as a
 * summary — `{quantile="0.5|0.9|0.95|0.99"}`, `_max` — whose quantiles are the HdrHistogram's own
 * (exact to 3 significant digits: a query reads back results.json's p99), and as a classic
 * histogram — `_bucket{le}` in its unit's fixed layout (buckets.ts), counted from the same
 * HdrHistogram — which histogram_quantile() reads and which adds up across runs and repeats.
 * A latency's windowed percentile series (results.json `name{quantile=…}`, type series) become
 * `patronus_bench_<metric>_window{quantile=…}`, point by point with their own times.
 *
 * The run's events become `patronus_bench_event{kind,source}` (1 at the event's time; a phase's
 * name as `name`, a fault's detail as `detail`) for dashboards' annotations. The operator's own
 * /metrics, as the run scrapes them, are forwarded under their own names with a `replica` label
 * (the declared families only, the latest scrape per replica every flush), beside
 * `up{replica}` = 1 per scrape, as a Prometheus scraping it would have them.
 */
import type { RunEvent } from "../../measure/events/run-events.ts";
import { Distribution } from "../../measure/metrics/distribution.ts";
import type { Scrape } from "../../measure/metrics/scrape-feed.ts";
import type { StoreSample } from "../../measure/metrics/store.ts";
import type { MetricMap } from "../../measure/metrics/types.ts";
import type { Results } from "../../results/schema.ts";
import type { OutputSink, RunFeed, SinkReport } from "../sink.ts";
import { splitMetricKey, wallMs } from "../sink.ts";
import { type Bucket, bucketBounds, cumulativeBuckets, distributionBuckets } from "./buckets.ts";
import { seriesLabels, type TimeSeries } from "./protocol.ts";
import { type QueueOptions, RemoteWriteQueue, redactedUrl } from "./queue.ts";

export const METRIC_PREFIX = "patronus_bench_";
export const SUMMARY_QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;
const FLUSH_MS = 5_000;
/** Events whose detail says what happened to what (a fault, an operator replica): sent as a label. */
const DETAILED_EVENTS = /^(fault|operator|component)\./;
const DETAIL_LABEL_MAX = 200;

export interface RemoteWriteSinkOptions extends QueueOptions {
  flushMs?: number;
}

export class RemoteWriteSink implements OutputSink {
  readonly kind = "prometheus-rw" as const;
  readonly target: string;
  private readonly queue: RemoteWriteQueue;
  private readonly flushMs: number;
  private lastMs = 0;
  /** Per series sent with its own time (events, scrapes): the last millisecond used. */
  private readonly lastBySeries = new Map<string, number>();

  constructor(url: string, options: RemoteWriteSinkOptions = {}) {
    this.target = redactedUrl(url);
    this.queue = new RemoteWriteQueue(url, options);
    this.flushMs = options.flushMs ?? FLUSH_MS;
  }

  /** Strictly increasing send times: a series never gets two samples at one millisecond. */
  private now(): number {
    this.lastMs = Math.max(Date.now(), this.lastMs + 1);
    return this.lastMs;
  }

  /** `ms`, or one after the last time this series was given, whichever is later. */
  private timeFor(series: TimeSeries, ms: number): number {
    const key = series.labels.map((l) => `${l.name}=${l.value}`).join(",");
    const at = Math.max(ms, (this.lastBySeries.get(key) ?? 0) + 1);
    this.lastBySeries.set(key, at);
    return at;
  }

  attach(run: RunFeed): () => void {
    const latest = new Map<string, number>();
    const scrapes = new Map<string, Scrape>();
    let points: TimeSeries[] = [];
    const off = run.store.subscribe((s: StoreSample) => {
      if (s.type === "counter" || s.type === "gauge") latest.set(s.name, s.value);
      else if (s.type === "series")
        points.push(this.series(run, windowName(s.name), s.value, wallMs(run, s.t)));
    });
    const offEvents = run.events.subscribe((e) => points.push(this.event(run, e)));
    const offScrapes = run.scrapes?.subscribe((s) => scrapes.set(s.instance, s));
    const flush = () => {
      const at = this.now();
      const out = points;
      points = [];
      for (const scrape of scrapes.values()) out.push(...this.scraped(run, scrape));
      scrapes.clear();
      for (const [name, value] of latest) out.push(this.series(run, name, value, at));
      for (const d of run.store.readDistributions(SUMMARY_QUANTILES, bucketBounds)) {
        out.push(...this.summary(run, d.name, d, at));
        if (d.atOrBelow)
          out.push(
            ...this.buckets(
              run,
              d.name,
              cumulativeBuckets(d.atOrBelow.bounds, d.atOrBelow.counts, d.count),
              at,
            ),
          );
      }
      if (out.length > 0) this.queue.push(out);
    };
    const timer = setInterval(flush, this.flushMs);
    timer.unref();
    return () => {
      clearInterval(timer);
      off();
      offEvents();
      offScrapes?.();
      for (const scrape of scrapes.values()) points.push(...this.scraped(run, scrape));
      if (points.length > 0) this.queue.push(points);
    };
  }

  private event(run: RunFeed, e: RunEvent): TimeSeries {
    const labels: Record<string, string> = { kind: e.kind, source: e.source };
    if (typeof e.detail.name === "string") labels.name = e.detail.name;
    if (DETAILED_EVENTS.test(e.kind)) labels.detail = JSON.stringify(e.detail).slice(0, DETAIL_LABEL_MAX);
    const series = this.seriesWith(run, "event", labels, 1, 0);
    series.samples[0]!.timestamp = this.timeFor(series, wallMs(run, e.t));
    return series;
  }

  /** One scrape of one replica: its samples under their own names, and `up`. */
  private scraped(run: RunFeed, scrape: Scrape): TimeSeries[] {
    const ms = wallMs(run, run.store.elapsedSeconds(scrape.at));
    const own = { ...run.labels, run_id: run.id, replica: scrape.instance };
    return [{ name: "up", labels: {}, value: 1 }, ...scrape.samples].map((s) => {
      const series: TimeSeries = {
        labels: seriesLabels(s.name, { ...s.labels, ...own }),
        samples: [{ value: s.value, timestamp: 0 }],
      };
      series.samples[0]!.timestamp = this.timeFor(series, ms);
      return series;
    });
  }

  runEnded(run: RunFeed, results: Results): void {
    // One time for the final figures and the verdict: a dashboard's window that holds the
    // verdict holds the figures too (history.ts keeps a run's figures `and on` its verdict).
    const at = this.now();
    const out: TimeSeries[] = [
      ...finalSeries(results.metrics, (name, labels, value) => this.seriesWith(run, name, labels, value, at)),
      ...Object.entries(results.metrics).flatMap(([key, m]) => {
        const buckets = m.type === "distribution" ? distributionBuckets(Distribution.decode(m)) : undefined;
        return buckets ? this.buckets(run, key, buckets, at) : [];
      }),
    ];
    for (const t of results.thresholds) {
      if (t.status !== "pass" && t.status !== "fail") continue;
      out.push(
        this.seriesWith(
          run,
          "threshold",
          { metric: t.metric, expression: t.expression },
          t.status === "pass" ? 1 : 0,
          at,
        ),
      );
    }
    out.push(
      this.seriesWith(run, "verdict", { verdict: results.verdict }, results.verdict === "pass" ? 1 : 0, at),
    );
    this.queue.push(out);
  }

  async close(deadlineMs: number): Promise<SinkReport> {
    await this.queue.close(deadlineMs);
    return {
      kind: this.kind,
      target: this.target,
      sent: this.queue.sent,
      dropped: this.queue.dropped,
      ...(this.queue.dropped > 0 && this.queue.lastError ? { lastError: this.queue.lastError } : {}),
    };
  }

  private series(run: RunFeed, key: string, value: number, timestamp: number): TimeSeries {
    const { name, labels } = splitMetricKey(key);
    return this.seriesWith(run, name, labels, value, timestamp);
  }

  private seriesWith(
    run: RunFeed,
    name: string,
    labels: Record<string, string>,
    value: number,
    timestamp: number,
  ): TimeSeries {
    return {
      labels: seriesLabels(METRIC_PREFIX + name, { ...labels, ...run.labels, run_id: run.id }),
      samples: [{ value, timestamp }],
    };
  }

  private buckets(run: RunFeed, key: string, buckets: readonly Bucket[], at: number): TimeSeries[] {
    const { name, labels } = splitMetricKey(key);
    return buckets.map((b) => this.seriesWith(run, `${name}_bucket`, { ...labels, le: b.le }, b.count, at));
  }

  private summary(
    run: RunFeed,
    key: string,
    d: { count: number; sum: number; max: number; quantiles: ReadonlyArray<readonly [number, number]> },
    at: number,
  ): TimeSeries[] {
    const { name, labels } = splitMetricKey(key);
    return [
      ...d.quantiles.map(([q, v]) => this.seriesWith(run, name, { ...labels, quantile: String(q) }, v, at)),
      this.seriesWith(run, `${name}_count`, labels, d.count, at),
      this.seriesWith(run, `${name}_sum`, labels, d.sum, at),
      this.seriesWith(run, `${name}_max`, labels, d.max, at),
    ];
  }
}

/** `lat{quantile="0.99"}` (a windowed percentile series) → `lat_window{quantile="0.99"}`. */
function windowName(key: string): string {
  const { name, labels } = splitMetricKey(key);
  if (!("quantile" in labels)) return key;
  const rest = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return `${name}_window{${rest.join(",")}}`;
}

/** The final figures of results.json's metrics (series were sent point by point already). */
function* finalSeries(
  metrics: MetricMap,
  make: (name: string, labels: Record<string, string>, value: number) => TimeSeries,
): Generator<TimeSeries> {
  for (const [key, m] of Object.entries(metrics)) {
    const { name, labels } = splitMetricKey(key);
    if (m.type === "counter" || m.type === "gauge") yield make(name, labels, m.value);
    else if (m.type === "distribution") {
      const byQuantile: Record<string, number> = { "0.5": m.p50, "0.9": m.p90, "0.95": m.p95, "0.99": m.p99 };
      for (const [q, v] of Object.entries(byQuantile)) yield make(name, { ...labels, quantile: q }, v);
      yield make(`${name}_count`, labels, m.count);
      yield make(`${name}_sum`, labels, Math.round(m.mean * m.count * 1000) / 1000);
      yield make(`${name}_max`, labels, m.max);
    }
  }
}

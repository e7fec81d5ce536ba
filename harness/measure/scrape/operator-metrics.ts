/**
 * Scrapes every running operator replica's /metrics (controller-runtime names) over the run:
 * workqueue_depth (series, summed over controllers and replicas), reconcile_rate (series,
 * reconciles per second), reconcile_errors (counter), operator_event_loop_delay (distribution
 * of the sampled nodejs_eventloop_lag_p99_seconds, in ms), and at the end rest_client_request_latency
 * and reconcile_time (distributions from the histograms' change over the run). Where no running
 * replica has a process on this machine (pods of a remote cluster), operator_cpu_cores and
 * operator_rss_bytes come from the replicas' own process_* metrics instead of /proc.
 */
import type { Measurement, MeasurementContext } from "../measurement.ts";
import { declaredSamples } from "../metrics/scrape-feed.ts";
import { bucketsBy, parsePrometheusText, type Sample, sumOf } from "../prometheus/parse.ts";
import { SamplingLoop } from "../sampling-loop.ts";
import { fetchText } from "./fetch-text.ts";
import { bucketDelta, distributionFromBuckets } from "./histogram-buckets.ts";

interface ReplicaScrape {
  at: number;
  reconciles: number;
  cpuSeconds: number;
  samples: Sample[];
}

const HISTOGRAMS: Array<[metric: string, source: string]> = [
  ["rest_client_request_latency", "rest_client_request_duration_seconds"],
  ["reconcile_time", "controller_runtime_reconcile_time_seconds"],
];

export class OperatorMetricsMeasurement implements Measurement {
  readonly name = "operator-metrics";
  private loop: SamplingLoop | undefined;
  private readonly first = new Map<string, ReplicaScrape>();
  private readonly last = new Map<string, ReplicaScrape>();
  private failures = 0;
  private latestDepth = 0;
  private latestRate = 0;

  async start(ctx: MeasurementContext): Promise<void> {
    this.loop = new SamplingLoop(ctx.definition.sampleInterval, () => this.scrape(ctx));
  }

  private async scrape(ctx: MeasurementContext): Promise<void> {
    let depth = 0;
    let rate = 0;
    let loopDelayMs = 0;
    let cpu = 0;
    let rss = 0;
    let any = false;
    const running = ctx.operator.replicas().filter((r) => r.running);
    const remote = running.length > 0 && running.every((r) => r.pid === undefined);
    for (const replica of ctx.operator.replicas()) {
      if (!replica.running) continue;
      let text: string;
      try {
        text = await fetchText(replica.metricsUrl, 2000);
      } catch {
        this.failures++;
        continue;
      }
      const { samples } = parsePrometheusText(text);
      const now: ReplicaScrape = {
        at: performance.now(),
        reconciles: sumOf(samples, "controller_runtime_reconcile_total"),
        cpuSeconds: sumOf(samples, "process_cpu_seconds_total"),
        samples,
      };
      if (ctx.scrapes?.followed)
        ctx.scrapes.publish({
          instance: replica.identity,
          at: now.at,
          samples: declaredSamples(samples, ctx.operatorMetrics ?? []),
        });
      const prev = this.last.get(replica.identity);
      if (!this.first.has(replica.identity)) this.first.set(replica.identity, now);
      this.last.set(replica.identity, now);
      any = true;
      depth += sumOf(samples, "workqueue_depth");
      rss += sumOf(samples, "process_resident_memory_bytes");
      if (prev && now.cpuSeconds >= prev.cpuSeconds)
        cpu += (now.cpuSeconds - prev.cpuSeconds) / ((now.at - prev.at) / 1000);
      if (prev && now.reconciles >= prev.reconciles)
        rate += (now.reconciles - prev.reconciles) / ((now.at - prev.at) / 1000);
      loopDelayMs = Math.max(loopDelayMs, sumOf(samples, "nodejs_eventloop_lag_p99_seconds") * 1000);
    }
    if (!any) return;
    const at = performance.now();
    ctx.store.point("workqueue_depth", depth, "items", at);
    ctx.store.point("reconcile_rate", Math.round(rate * 100) / 100, "1/s", at);
    // The operator's own account of its CPU (prom-client), a cross-check of the /proc sampling.
    if (cpu > 0) ctx.store.point("operator_cpu_cores_reported", Math.round(cpu * 1000) / 1000, "cores", at);
    if (remote) {
      ctx.store.point("operator_cpu_cores", Math.round(cpu * 1000) / 1000, "cores", at);
      ctx.store.point("operator_rss_bytes", rss, "bytes", at);
    }
    if (loopDelayMs > 0)
      ctx.store.point("operator_event_loop_delay", Math.round(loopDelayMs * 100) / 100, "ms", at);
    this.latestDepth = depth;
    this.latestRate = rate;
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    await this.loop?.stop();
    await this.scrape(ctx);
    let errors = 0;
    for (const [identity, last] of this.last) {
      const first = this.first.get(identity);
      errors +=
        sumOf(last.samples, "controller_runtime_reconcile_errors_total") -
        (first ? sumOf(first.samples, "controller_runtime_reconcile_errors_total") : 0);
      for (const [metric, source] of HISTOGRAMS) {
        const before = first ? bucketsBy(first.samples, source, []).get("") : undefined;
        const after = bucketsBy(last.samples, source, []).get("");
        if (!after) continue;
        ctx.store.distribution(metric).add(distributionFromBuckets(bucketDelta(before, after)));
      }
    }
    ctx.store.count("reconcile_errors", Math.max(0, errors));
    if (this.failures > 0) ctx.events.record("scrape.failures", this.name, { count: this.failures });
  }

  checkpoint(): Record<string, number> {
    return { workqueue_depth: this.latestDepth, reconcile_rate: Math.round(this.latestRate * 100) / 100 };
  }

  progress(): string | undefined {
    return this.last.size
      ? `queue ${this.latestDepth} reconcile ${Math.round(this.latestRate)}/s`
      : undefined;
  }
}

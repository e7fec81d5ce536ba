/**
 * Scrapes every running operator replica's /metrics over the run, reading the operator's own
 * metrics by the names its definition gives them (`metrics`): workqueue_depth (series, its queue
 * depth summed over controllers and replicas), reconcile_rate (series, reconciles per second),
 * reconcile_errors (counter), and at the end reconcile_time (distribution from its reconcile
 * duration histogram's change over the run) — each only where the operator exports that metric;
 * the run's plan says which it lacks. Beside them, where present: operator_event_loop_delay (Node
 * operators' nodejs_eventloop_lag_p99_seconds, in ms) and rest_client_request_latency (a declared
 * rest_client_request_duration_seconds). Where no running replica has a process on this machine
 * (pods of a remote cluster), operator_cpu_cores and operator_rss_bytes come from the replicas'
 * own process_* metrics instead of /proc.
 */
import type { OperatorDefinition } from "../../operators/definition.ts";
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

/** client-go's and controller-runtime's request histogram, read where the operator declares it. */
const REST_CLIENT_HISTOGRAM = "rest_client_request_duration_seconds";

type MetricNames = OperatorDefinition["metrics"];

export class OperatorMetricsMeasurement implements Measurement {
  readonly name = "operator-metrics";
  private loop: SamplingLoop | undefined;
  private readonly first = new Map<string, ReplicaScrape>();
  private readonly last = new Map<string, ReplicaScrape>();
  private failures = 0;
  private latestDepth = 0;
  private latestRate = 0;
  private latestErrors = 0;
  private readonly names: MetricNames;
  private readonly histograms: Array<[metric: string, source: string]>;

  constructor(names: MetricNames) {
    this.names = names;
    this.histograms = [
      ...(names.others.includes(REST_CLIENT_HISTOGRAM)
        ? [["rest_client_request_latency", REST_CLIENT_HISTOGRAM] as [string, string]]
        : []),
      ...(names.reconcileDuration ? [["reconcile_time", names.reconcileDuration] as [string, string]] : []),
    ];
  }

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
        reconciles: this.names.reconcileTotal ? sumOf(samples, this.names.reconcileTotal) : 0,
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
      if (this.names.queueDepth) depth += sumOf(samples, this.names.queueDepth);
      rss += sumOf(samples, "process_resident_memory_bytes");
      if (prev && now.cpuSeconds >= prev.cpuSeconds)
        cpu += (now.cpuSeconds - prev.cpuSeconds) / ((now.at - prev.at) / 1000);
      if (prev && now.reconciles >= prev.reconciles)
        rate += (now.reconciles - prev.reconciles) / ((now.at - prev.at) / 1000);
      loopDelayMs = Math.max(loopDelayMs, sumOf(samples, "nodejs_eventloop_lag_p99_seconds") * 1000);
    }
    if (!any) return;
    const at = performance.now();
    if (this.names.queueDepth) ctx.store.point("workqueue_depth", depth, "items", at);
    if (this.names.reconcileTotal) ctx.store.point("reconcile_rate", Math.round(rate * 100) / 100, "1/s", at);
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
    this.latestErrors = this.errorsSoFar();
  }

  /** Reconcile errors since each replica's first scrape (0 where the operator exports no counter). */
  private errorsSoFar(): number {
    const name = this.names.reconcileErrors;
    if (!name) return 0;
    let errors = 0;
    for (const [identity, last] of this.last) {
      const first = this.first.get(identity);
      errors += sumOf(last.samples, name) - (first ? sumOf(first.samples, name) : 0);
    }
    return Math.max(0, errors);
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    await this.loop?.stop();
    await this.scrape(ctx);
    for (const [identity, last] of this.last) {
      const first = this.first.get(identity);
      for (const [metric, source] of this.histograms) {
        const before = first ? bucketsBy(first.samples, source, []).get("") : undefined;
        const after = bucketsBy(last.samples, source, []).get("");
        if (!after) continue;
        ctx.store.distribution(metric).add(distributionFromBuckets(bucketDelta(before, after)));
      }
    }
    if (this.names.reconcileErrors) ctx.store.count("reconcile_errors", this.errorsSoFar());
    if (this.failures > 0) ctx.events.record("scrape.failures", this.name, { count: this.failures });
  }

  checkpoint(): Record<string, number> {
    return {
      ...(this.names.queueDepth ? { workqueue_depth: this.latestDepth } : {}),
      ...(this.names.reconcileTotal ? { reconcile_rate: Math.round(this.latestRate * 100) / 100 } : {}),
    };
  }

  /** The operator's own figures it exports; says so where it exports none of them. */
  progress(): string | undefined {
    if (this.last.size === 0) return undefined;
    const parts: string[] = [];
    if (this.names.queueDepth) parts.push(`queue ${this.latestDepth}`);
    if (this.names.reconcileTotal) parts.push(`reconcile ${Math.round(this.latestRate)}/s`);
    if (this.names.reconcileErrors) parts.push(`errors ${this.latestErrors}`);
    return parts.length > 0 ? parts.join(" ") : "no reconcile metrics";
  }
}

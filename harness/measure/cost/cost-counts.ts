/**
 * Cost counts of every run, per object the run created, changed or deleted (the ledger's
 * intents): apiserver_requests_per_object{resource,verb} and its total, operator_cpu_seconds_per_
 * 1000_objects (CPU time of every operator process, restarts included, from /proc),
 * patronus_api_calls_per_object (the simulator's request counter), operator_bytes_sent_per_object
 * {to} (the operator's TCP sockets, socket-bytes.ts; local processes) and, where etcd's /metrics
 * is reachable, etcd_bytes_per_object{direction} (etcd-bytes.ts). Counts, not rates: a slower
 * machine takes longer to do the same work but does the same amount of it.
 */
import type { Measurement, MeasurementContext } from "../measurement.ts";
import { readProcSample } from "../process/proc-stat.ts";
import { parsePrometheusText } from "../prometheus/parse.ts";
import { SamplingLoop } from "../sampling-loop.ts";
import { fetchFromApiserver, fetchText } from "../scrape/fetch-text.ts";
import { ETCD_BYTE_COUNTERS, type EtcdBytes, etcdBytes, etcdBytesPerObject } from "./etcd-bytes.ts";
import { REQUEST_TOTAL, requestsPerObject, requestTotals, round4 } from "./request-counts.ts";
import { SocketBytes, urlPort } from "./socket-bytes.ts";

/** Operator processes are read this often, so a replica killed mid-run keeps the CPU it used. */
const CPU_SAMPLE_MS = 2000;

export class CostCountsMeasurement implements Measurement {
  readonly name = "cost-counts";
  private objects = 0;
  private unsubscribe: (() => void) | undefined;
  private requestsBefore: Map<string, number> | undefined;
  private patronusBefore: number | undefined;
  private etcdBefore: EtcdBytes | undefined;
  /** CPU seconds per operator pid: first and latest reading. */
  private readonly cpu = new Map<number, { first: number; last: number }>();
  private loop: SamplingLoop | undefined;
  private sent: SocketBytes | undefined;

  async start(ctx: MeasurementContext): Promise<void> {
    this.sent = new SocketBytes({
      apiserver: urlPort(ctx.kc.getCurrentCluster()?.server),
      patronusApi: urlPort(ctx.mesh.apiUrl),
    });
    this.unsubscribe = ctx.ledger.subscribe(() => {
      this.objects++;
    });
    this.requestsBefore = await this.readRequests(ctx);
    this.patronusBefore = await this.readPatronusCalls(ctx);
    this.etcdBefore = await this.readEtcdBytes(ctx);
    await this.sample(ctx);
    this.loop = new SamplingLoop(CPU_SAMPLE_MS, () => this.sample(ctx));
  }

  private async readRequests(ctx: MeasurementContext): Promise<Map<string, number> | undefined> {
    try {
      return requestTotals(
        parsePrometheusText(await fetchFromApiserver(ctx.kc, "/metrics"), [REQUEST_TOTAL]).samples,
      );
    } catch {
      return undefined; // the apiserver may be down on purpose (control-plane failover)
    }
  }

  private async readEtcdBytes(ctx: MeasurementContext): Promise<EtcdBytes | undefined> {
    const url = ctx.controlPlane.etcdMetricsUrl;
    if (!url) return undefined; // a cluster whose etcd the harness cannot reach
    try {
      return etcdBytes(parsePrometheusText(await fetchText(url), ETCD_BYTE_COUNTERS).samples);
    } catch {
      return undefined; // etcd may be down on purpose (control-plane failover)
    }
  }

  private async readPatronusCalls(ctx: MeasurementContext): Promise<number | undefined> {
    try {
      const total = await ctx.mesh.requestCount?.();
      if (total !== undefined) return total;
      const counts = await ctx.mesh.callerCounts?.();
      return counts ? Object.values(counts.requests).reduce((s, n) => s + n, 0) : undefined;
    } catch {
      return undefined;
    }
  }

  private async sample(ctx: MeasurementContext): Promise<void> {
    await this.sampleCpu(ctx);
    const pids = ctx.operator.replicas().flatMap((r) => (r.pid ? [r.pid] : []));
    await this.sent?.sample(pids);
  }

  private async sampleCpu(ctx: MeasurementContext): Promise<void> {
    for (const r of ctx.operator.replicas()) {
      if (!r.pid) continue;
      const s = await readProcSample(r.pid);
      if (!s) continue;
      const seen = this.cpu.get(r.pid);
      // A replica started after the run began used all its CPU within the run.
      if (seen) seen.last = s.cpuSeconds;
      else this.cpu.set(r.pid, { first: this.loop ? 0 : s.cpuSeconds, last: s.cpuSeconds });
    }
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    await this.loop?.stop();
    await this.sample(ctx);
    this.unsubscribe?.();
    const objects = this.objects;
    if (objects === 0) return;
    ctx.store.gauge("objects_changed", objects, "objects");
    const after = await this.readRequests(ctx);
    if (this.requestsBefore && after) {
      const { byKey, total } = requestsPerObject(this.requestsBefore, after, objects);
      for (const [key, value] of byKey) ctx.store.gauge(key, value, "requests/object");
      ctx.store.gauge("apiserver_requests_per_object", total, "requests/object");
    }
    const etcdAfter = await this.readEtcdBytes(ctx);
    if (this.etcdBefore && etcdAfter)
      for (const [key, value] of etcdBytesPerObject(this.etcdBefore, etcdAfter, objects))
        ctx.store.gauge(key, value, "bytes/object");
    if (this.cpu.size > 0) {
      const seconds = [...this.cpu.values()].reduce((s, c) => s + (c.last - c.first), 0);
      ctx.store.gauge(
        "operator_cpu_seconds_per_1000_objects",
        round4((seconds * 1000) / objects),
        "s/1000 objects",
      );
    }
    const sent = this.sent?.totals();
    // Said in the run's events (and so the report) when the tool is missing, not left as a gap.
    if (this.sent?.unavailable)
      ctx.events.record("cost.bytes-unmeasured", this.name, {
        figure: "operator_bytes_sent_per_object",
        reason: this.sent.unavailable,
      });
    if (sent) {
      let all = 0;
      for (const [to, bytes] of sent) {
        all += bytes;
        if (to !== "other" || bytes > 0)
          ctx.store.gauge(
            `operator_bytes_sent_per_object{to="${to}"}`,
            round4(bytes / objects),
            "bytes/object",
          );
      }
      ctx.store.gauge("operator_bytes_sent_per_object", round4(all / objects), "bytes/object");
    }
    const patronusAfter = await this.readPatronusCalls(ctx);
    if (this.patronusBefore !== undefined && patronusAfter !== undefined)
      ctx.store.gauge(
        "patronus_api_calls_per_object",
        round4(Math.max(0, patronusAfter - this.patronusBefore) / objects),
        "calls/object",
      );
  }
}

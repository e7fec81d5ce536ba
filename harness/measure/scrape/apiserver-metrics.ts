/**
 * Samples the kube-apiserver's /metrics: apiserver_object_count (series: stored sdwan.patronus.io
 * objects as the apiserver counts them; object_count itself comes from the run's watches), etcd_db_size_bytes (series: apiserver_storage_size_bytes, or
 * etcd_db_total_size_in_bytes on older apiservers), and at the end
 * apiserver_request_latency{resource=…,verb=…} for our resources and Leases (distributions from
 * the change of apiserver_request_duration_seconds over the run).
 */
import type { Measurement, MeasurementContext } from "../measurement.ts";
import { bucketsBy, parsePrometheusText, type Sample, sumOf } from "../prometheus/parse.ts";
import { fetchFromApiserver, fetchText } from "./fetch-text.ts";
import { bucketDelta, distributionFromBuckets } from "./histogram-buckets.ts";

/** What the periodic samples need; request latency buckets are read only at start and end. */
const SAMPLED = [
  "apiserver_resource_objects",
  "apiserver_storage_objects",
  "apiserver_storage_size_bytes",
  "etcd_db_total_size_in_bytes",
];
const REQUEST_DURATION = "apiserver_request_duration_seconds";
const RESOURCES = new Set(["sites", "meshes", "paths", "policies", "leases", "events"]);

export class ApiserverMetricsMeasurement implements Measurement {
  private busy = false;
  readonly name = "apiserver-metrics";
  private timer: NodeJS.Timeout | undefined;
  private first: Sample[] | undefined;
  private last: Sample[] | undefined;
  private sampling: Promise<void> = Promise.resolve();
  private latestObjects = 0;
  private latestDbBytes = 0;

  async start(ctx: MeasurementContext): Promise<void> {
    await this.sample(ctx);
    this.first = await this.requestDurations(ctx);
    this.timer = setInterval(
      () => {
        // A slow round (stalled loop, slow endpoint) must not overlap the next one.
        if (this.busy) return;
        this.busy = true;
        this.sampling = this.sample(ctx).finally(() => {
          this.busy = false;
        });
      },
      Math.max(ctx.definition.sampleInterval, 5000),
    );
  }

  private async sample(ctx: MeasurementContext): Promise<void> {
    let samples: Sample[];
    try {
      samples = parsePrometheusText(await fetchFromApiserver(ctx.kc, "/metrics"), SAMPLED).samples;
    } catch {
      return; // the apiserver may be down on purpose (control-plane failover)
    }
    const at = performance.now();
    // Renamed in Kubernetes 1.3x: apiserver_resource_objects{group,resource}; older:
    // apiserver_storage_objects{resource="<plural>.<group>"}. Both refresh slowly (about a minute).
    const objects = samples
      .filter(
        (s) =>
          (s.name === "apiserver_resource_objects" && s.labels.group === "sdwan.patronus.io") ||
          (s.name === "apiserver_storage_objects" &&
            (s.labels.resource ?? "").endsWith(".sdwan.patronus.io")),
      )
      .reduce((sum, s) => sum + s.value, 0);
    ctx.store.point("apiserver_object_count", objects, "objects", at);
    this.latestObjects = objects;
    const db =
      (await this.etcdDbSize(ctx)) ??
      (sumOf(samples, "apiserver_storage_size_bytes") || sumOf(samples, "etcd_db_total_size_in_bytes"));
    if (db > 0) {
      ctx.store.point("etcd_db_size_bytes", db, "bytes", at);
      this.latestDbBytes = db;
    }
  }

  private async requestDurations(ctx: MeasurementContext): Promise<Sample[] | undefined> {
    try {
      return parsePrometheusText(await fetchFromApiserver(ctx.kc, "/metrics"), [REQUEST_DURATION]).samples;
    } catch {
      return undefined;
    }
  }

  /** etcd's own figure when its /metrics is reachable (embedded cluster). */
  private async etcdDbSize(ctx: MeasurementContext): Promise<number | undefined> {
    const url = ctx.controlPlane.etcdMetricsUrl;
    if (!url) return undefined;
    try {
      const { samples } = parsePrometheusText(await fetchText(url, 2000));
      return sumOf(samples, "etcd_mvcc_db_total_size_in_bytes") || undefined;
    } catch {
      return undefined;
    }
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample(ctx);
    this.last = await this.requestDurations(ctx);
    if (!this.last) return;
    const name = REQUEST_DURATION;
    const before = this.first ? bucketsBy(this.first, name, ["resource", "verb"]) : new Map();
    for (const [key, after] of bucketsBy(this.last, name, ["resource", "verb"])) {
      const resource = /resource=([^,]*)/.exec(key)?.[1] ?? "";
      if (!RESOURCES.has(resource)) continue;
      const d = distributionFromBuckets(bucketDelta(before.get(key), after));
      if (d.count === 0) continue;
      const verb = /verb=(.*)$/.exec(key)?.[1] ?? "";
      ctx.store.distribution(`apiserver_request_latency{resource="${resource}",verb="${verb}"}`).add(d);
    }
  }

  checkpoint(): Record<string, number> {
    return { apiserver_object_count: this.latestObjects, etcd_db_size_bytes: this.latestDbBytes };
  }
}

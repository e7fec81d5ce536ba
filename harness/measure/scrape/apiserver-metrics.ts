/**
 * Samples the kube-apiserver's /metrics: apiserver_object_count (series: stored sdwan.patronus.io
 * objects as the apiserver counts them; object_count itself comes from the run's watches), etcd_db_size_bytes (series: etcd's own
 * etcd_mvcc_db_total_size_in_bytes where the provider exposes etcd, else apiserver_storage_size_bytes or
 * etcd_db_total_size_in_bytes on older apiservers), and at the end
 * apiserver_request_latency{resource=…,verb=…} for our resources and Leases (distributions from
 * the change of apiserver_request_duration_seconds over the run).
 *
 * The apiserver's /metrics is ~3 MB of text and costs it ~0.1 s of CPU to render, taken from the
 * system under test; its object counts refresh about once a minute, so it is read every 30 s
 * (and at start and end), while etcd's small /metrics gives the DB size at the sample interval.
 */
import type { Measurement, MeasurementContext } from "../measurement.ts";
import { bucketsBy, parsePrometheusText, type Sample, sumOf } from "../prometheus/parse.ts";
import { SamplingLoop } from "../sampling-loop.ts";
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
const APISERVER_INTERVAL_MS = 30_000;
const ETCD_MIN_INTERVAL_MS = 5_000;

/**
 * Stored sdwan.patronus.io objects as the apiserver counts them. Its count of a resource starts at
 * 0 and is first refreshed about a minute after that resource's storage starts, so a 0 means "not
 * counted yet" until the resource has once shown objects; recording those zeros drew a flat line
 * at 0 through every run shorter than a minute. `update` answers the sum over the resources
 * counted so far, or undefined while none of ours has been.
 * Renamed in Kubernetes 1.3x: apiserver_resource_objects{group,resource}; older:
 * apiserver_storage_objects{resource="<plural>.<group>"}.
 */
export class StoredObjectCounts {
  private readonly counted = new Set<string>();

  update(samples: readonly Sample[]): number | undefined {
    let sum = 0;
    for (const s of samples) {
      let resource: string;
      if (s.name === "apiserver_resource_objects" && s.labels.group === "sdwan.patronus.io")
        resource = s.labels.resource ?? "";
      else if (
        s.name === "apiserver_storage_objects" &&
        (s.labels.resource ?? "").endsWith(".sdwan.patronus.io")
      )
        resource = (s.labels.resource ?? "").split(".")[0] ?? "";
      else continue;
      if (s.value > 0) this.counted.add(resource);
      if (this.counted.has(resource)) sum += s.value;
    }
    return this.counted.size > 0 ? sum : undefined;
  }
}

export class ApiserverMetricsMeasurement implements Measurement {
  readonly name = "apiserver-metrics";
  private readonly loops: SamplingLoop[] = [];
  private readonly objectCounts = new StoredObjectCounts();
  private first: Sample[] | undefined;
  private last: Sample[] | undefined;
  private latestObjects: number | undefined;
  private latestDbBytes: number | undefined;
  private etcdReachable = false;

  async start(ctx: MeasurementContext): Promise<void> {
    await this.sampleEtcd(ctx);
    this.first = await this.sampleApiserver(ctx, true);
    this.loops.push(
      new SamplingLoop(APISERVER_INTERVAL_MS, async () => {
        await this.sampleApiserver(ctx);
      }),
    );
    if (ctx.controlPlane.etcdMetricsUrl) {
      const every = Math.max(ctx.definition.sampleInterval, ETCD_MIN_INTERVAL_MS);
      this.loops.push(new SamplingLoop(every, () => this.sampleEtcd(ctx)));
    }
  }

  /** One read of /metrics; at start and end it also answers the request-duration buckets. */
  private async sampleApiserver(
    ctx: MeasurementContext,
    withDurations = false,
  ): Promise<Sample[] | undefined> {
    let samples: Sample[];
    try {
      const names = withDurations ? [...SAMPLED, REQUEST_DURATION] : SAMPLED;
      samples = parsePrometheusText(await fetchFromApiserver(ctx.kc, "/metrics"), names).samples;
    } catch {
      return undefined; // the apiserver may be down on purpose (control-plane failover)
    }
    const at = performance.now();
    const objects = this.objectCounts.update(samples);
    if (objects !== undefined) {
      ctx.store.point("apiserver_object_count", objects, "objects", at);
      this.latestObjects = objects;
    }
    if (!this.etcdReachable) {
      const db =
        sumOf(samples, "apiserver_storage_size_bytes") || sumOf(samples, "etcd_db_total_size_in_bytes");
      if (db > 0) this.recordDbSize(ctx, db, at);
    }
    return withDurations ? samples.filter((x) => x.name.startsWith(REQUEST_DURATION)) : undefined;
  }

  /** etcd's own figure when its /metrics is reachable (embedded cluster). */
  private async sampleEtcd(ctx: MeasurementContext): Promise<void> {
    const url = ctx.controlPlane.etcdMetricsUrl;
    if (!url) return;
    let db: number;
    try {
      db = sumOf(parsePrometheusText(await fetchText(url, 2000)).samples, "etcd_mvcc_db_total_size_in_bytes");
    } catch {
      return; // etcd may be down on purpose (control-plane failover)
    }
    if (db <= 0) return;
    this.etcdReachable = true;
    this.recordDbSize(ctx, db, performance.now());
  }

  private recordDbSize(ctx: MeasurementContext, bytes: number, at: number): void {
    ctx.store.point("etcd_db_size_bytes", bytes, "bytes", at);
    this.latestDbBytes = bytes;
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    await Promise.all(this.loops.map((l) => l.stop()));
    await this.sampleEtcd(ctx);
    this.last = await this.sampleApiserver(ctx, true);
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

  /** Only what has been read: a 0 for "not counted yet" would read as an empty cluster. */
  checkpoint(): Record<string, number> {
    const figures: Record<string, number> = {};
    if (this.latestObjects !== undefined) figures.apiserver_object_count = this.latestObjects;
    if (this.latestDbBytes !== undefined) figures.etcd_db_size_bytes = this.latestDbBytes;
    return figures;
  }
}

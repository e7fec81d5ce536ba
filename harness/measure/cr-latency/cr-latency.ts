/**
 * CR latencies measured from outside, by watching Sites and Policies the way a user would, and
 * judged with the operator definition's predicates: site_ready_latency (create → Ready),
 * update_observed_latency (spec change → observed and Ready), delete_latency (delete → gone),
 * policy_apply_latency (Policy change → Ready). Every request is accounted for; the coverage goes
 * into results.json and below 100 % fails the run. An object the operator reports Failed is
 * not waited for (wait-for ends when only Failed ones are left); those still Failed at the end
 * are counted in objects_failed{kind} and named, with the operator's message, in the events.
 * Each latency is also recorded under the phase that made the request, e.g.
 * site_ready_latency{phase="churn"}: a scenario that populates before it churns can hold the
 * churn's requests to a threshold without the populate burst in the same distribution.
 */
import { type CrObject, objectPath } from "../../load/kube/client.ts";
import type { ObjectKind } from "../../scenario/phases.ts";
import type { Coverage, Measurement, MeasurementContext } from "../measurement.ts";
import { ResourceWatch, type WatchEventType } from "../watch/resource-watch.ts";
import { Expectations, type Met, observedState } from "./expectations.ts";

const KIND_NAME = { site: "Site", policy: "Policy" } as const;
/** Failed objects named one by one in the events; the rest are in the per-message counts. */
const FAILED_EVENTS = 20;

const METRIC: Record<string, string> = {
  "site/create": "site_ready_latency",
  "site/update": "update_observed_latency",
  "site/delete": "delete_latency",
  "policy/create": "policy_apply_latency",
  "policy/update": "policy_apply_latency",
  "policy/delete": "delete_latency",
};

export class CrLatencyMeasurement implements Measurement {
  readonly name = "cr-latency";
  readonly expectations = new Expectations();
  private readonly watches: ResourceWatch[] = [];
  private unsubscribe: (() => void) | undefined;
  private ctx: MeasurementContext | undefined;
  private readonly waiters = new Set<() => void>();
  /** Sites and Policies that exist now, as the watch sees them (for object_count). */
  private readonly present = new Set<string>();

  private backlogTimer: NodeJS.Timeout | undefined;
  private unsubscribePhases: (() => void) | undefined;
  /** The phase running now: requests are attributed to it. */
  private phase: string | undefined;

  async start(ctx: MeasurementContext): Promise<void> {
    this.ctx = ctx;
    // backlog_oldest_request: run time of the oldest request not yet observed (-1: none). "Every
    // change made before T is done" is the first point after T whose value is ≥ T or -1.
    this.backlogTimer = setInterval(() => {
      const oldest = this.expectations.oldestPending();
      ctx.store.point(
        "backlog_oldest_request",
        oldest === undefined ? -1 : ctx.store.elapsedSeconds(oldest),
        "s",
      );
    }, 500);
    this.unsubscribePhases = ctx.events.subscribe((e) => {
      if (e.kind === "phase.start") this.phase = String(e.detail.name);
    });
    this.unsubscribe = ctx.ledger.subscribe((intent) =>
      this.record(this.expectations.intent(intent, this.phase)),
    );
    for (const kind of ["site", "policy"] as const) {
      const spec = ctx.kinds[KIND_NAME[kind]];
      if (!spec) continue;
      const watch = new ResourceWatch({
        objects: ctx.objects,
        path: objectPath(spec, ctx.namespace),
        kind: spec.kind,
        apiVersion: `${spec.group}/${spec.version}`,
        namespace: ctx.namespace,
        onEvent: (type, obj, at) => this.onEvent(kind, type, obj, at),
        onError: (err) =>
          ctx.events.record("watch.restart", this.name, { kind: spec.kind, error: String(err) }),
      });
      await watch.start();
      this.watches.push(watch);
    }
  }

  private onEvent(kind: ObjectKind, type: WatchEventType, obj: CrObject, at: number): void {
    const name = obj.metadata?.name;
    if (!name) return;
    if (type === "DELETED") {
      this.ctx?.ledger.gone(kind, name);
      this.present.delete(`${kind}/${name}`);
    } else this.present.add(`${kind}/${name}`);
    const spec = this.ctx?.kinds[KIND_NAME[kind]];
    if (!spec) return;
    this.record(this.expectations.observe(kind, name, observedState(spec, obj, type === "DELETED", at)));
  }

  private record(met: Met[]): void {
    if (!this.ctx || met.length === 0) return;
    for (const m of met) {
      const metric = METRIC[`${m.kind}/${m.type}`];
      if (!metric) continue;
      if (m.unjudged) {
        this.ctx.store.count(`updates_unjudged{kind="${KIND_NAME[m.kind]}"}`);
        continue;
      }
      this.ctx.store.record(metric, m.latencyMs);
      if (m.phase) this.ctx.store.record(`${metric}{phase="${m.phase}"}`, m.latencyMs);
    }
    for (const w of [...this.waiters]) w();
  }

  /**
   * Resolves true when no create/update (or delete) expectation of the kind is outstanding but
   * those of objects the operator reports Failed, false at the deadline.
   */
  async settled(
    kind: ObjectKind,
    which: "ready" | "gone",
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const types = which === "ready" ? (["create", "update"] as const) : (["delete"] as const);
    const done = () =>
      this.expectations.outstanding(kind, types) === this.expectations.failingCount(kind, types);
    if (done()) return true;
    return new Promise<boolean>((resolve) => {
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        signal?.removeEventListener("abort", onAbort);
        resolve(ok);
      };
      const check = () => done() && finish(true);
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(done()), timeoutMs);
      this.waiters.add(check);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    clearInterval(this.backlogTimer);
    this.unsubscribe?.();
    this.unsubscribePhases?.();
    for (const w of this.watches) w.stop();
    const missing = this.expectations.missing();
    if (missing.length) ctx.events.record("coverage.missing", this.name, { objects: missing });
    this.recordFailed(ctx);
    ctx.store.gauge("superseded_expectations", this.expectations.superseded, "count");
  }

  /** objects_failed{kind}: objects that end the run Failed; the first few named, all grouped by message. */
  private recordFailed(ctx: MeasurementContext): void {
    const failing = this.expectations.failing();
    for (const kind of ["site", "policy"] as const) {
      const spec = ctx.kinds[KIND_NAME[kind]];
      if (spec)
        ctx.store.gauge(
          `objects_failed{kind="${spec.kind}"}`,
          failing.filter((f) => f.kind === kind).length,
          "count",
        );
    }
    if (failing.length === 0) return;
    for (const f of failing.slice(0, FAILED_EVENTS))
      ctx.events.record("object.failed", this.name, { kind: f.kind, name: f.name, message: f.message });
    const byMessage = new Map<string, number>();
    for (const f of failing) byMessage.set(f.message, (byMessage.get(f.message) ?? 0) + 1);
    ctx.events.record("objects.failed", this.name, {
      count: failing.length,
      messages: Object.fromEntries([...byMessage].sort((a, b) => b[1] - a[1])),
    });
  }

  /** Objects the operator reports Failed now, with its message. */
  failing(kind?: ObjectKind): ReturnType<Expectations["failing"]> {
    const all = this.expectations.failing();
    return kind ? all.filter((f) => f.kind === kind) : all;
  }

  get objectCount(): number {
    return this.present.size;
  }

  coverage(): Coverage {
    return this.expectations.coverage();
  }

  checkpoint(): Record<string, number> {
    const d = this.ctx?.store.hasDistribution("site_ready_latency")
      ? this.ctx.store.distribution("site_ready_latency")
      : undefined;
    return d ? { site_ready_latency_p99: d.percentile(99), site_ready_latency_p50: d.percentile(50) } : {};
  }

  progress(): string | undefined {
    const store = this.ctx?.store;
    if (!store) return undefined;
    const c = this.expectations.coverage();
    const p99 = store.hasDistribution("site_ready_latency")
      ? store.distribution("site_ready_latency").percentile(99)
      : 0;
    return `observed ${c.observed}/${c.expected} p99 ready ${Math.round(p99)}ms`;
  }
}

/**
 * Path controller: turns the telemetry stream into Path status. Samples land in the
 * TelemetryCache (newest wins), the Path key is queued (de-duplicated), and the reconcile writes
 * status only on a state change or a move beyond tolerance. Writes draw from the controller's own
 * token bucket, sized below the client-wide QPS so the busiest path can never use up the budget
 * the Site, Mesh and Policy controllers need; when the bucket is empty the key is requeued for
 * when a token is due and keeps coalescing meanwhile.
 */
import type { PathStatus } from "../../api/v1alpha1/types.ts";
import { setCondition } from "../../runtime/conditions/conditions.ts";
import {
  Controller,
  type ControllerSettings,
  fromSettings,
  type Reconciler,
  type Result,
} from "../../runtime/controller/controller.ts";
import { updateStatus } from "../../runtime/kube/object-writes.ts";
import { objectKey, PATHS } from "../../runtime/kube/resources.ts";
import { isNotFound } from "../../runtime/kube/rest-client.ts";
import { TokenBucket } from "../../runtime/ratelimit/token-bucket.ts";
import type { OperatorContext } from "../context.ts";
import { DEFAULT_TOLERANCE, round1, statusWriteDecision, type Tolerance } from "./status-policy.ts";

const HEALTH_REASON = { Up: "TunnelUp", Degraded: "TunnelDegraded", Down: "TunnelDown" } as const;

export class PathReconciler implements Reconciler {
  private readonly ctx: OperatorContext;
  private readonly writes: TokenBucket;
  private readonly tolerance: Tolerance;

  constructor(ctx: OperatorContext, writes: TokenBucket, tolerance: Tolerance = DEFAULT_TOLERANCE) {
    this.ctx = ctx;
    this.writes = writes;
    this.tolerance = tolerance;
  }

  async reconcile(key: string): Promise<Result | undefined> {
    const { informers, telemetry, patronusMetrics: pm } = this.ctx;
    const path = informers.paths.store.get(key);
    if (!path) return undefined;
    const sample = telemetry.get(path.metadata.name);
    if (!sample) return undefined;
    const decision = statusWriteDecision(path.status, sample, this.tolerance);
    if (!decision.write) {
      pm.pathStatusSkipped.inc({ reason: "within_tolerance" });
      return undefined;
    }
    if (!this.writes.tryTake()) {
      pm.pathStatusSkipped.inc({ reason: "rate_limited" });
      return { requeueAfterMs: Math.max(1, this.writes.waitTimeMs()) };
    }
    const generation = path.metadata.generation ?? 0;
    const status: PathStatus = {
      ...path.status,
      state: sample.state,
      latencyMs: round1(sample.latencyMs),
      jitterMs: round1(sample.jitterMs),
      lossPercent: round1(sample.lossPercent),
      lastTelemetryAt: sample.at,
      observedGeneration: generation,
    };
    status.conditions = setCondition(path.status?.conditions, {
      type: "Healthy",
      status: sample.state === "Up" ? "True" : "False",
      reason: HEALTH_REASON[sample.state],
      message: `latency ${status.latencyMs} ms, jitter ${status.jitterMs} ms, loss ${status.lossPercent}%`,
      observedGeneration: generation,
    });
    try {
      await updateStatus(this.ctx.pathRest, PATHS, path, status);
      pm.pathStatusWrites.inc({ outcome: decision.reason });
    } catch (err) {
      // The Mesh removed the Path between the sample and the write: nothing left to do.
      if (isNotFound(err)) return undefined;
      pm.pathStatusWrites.inc({ outcome: "error" });
      throw err;
    }
    if (decision.reason === "state" && path.status?.state) {
      this.ctx.recorder.record(
        path,
        sample.state === "Up" ? "Normal" : "Warning",
        `Tunnel${sample.state}`,
        "Telemetry",
        `tunnel ${path.metadata.name}: ${path.status.state} → ${sample.state}`,
      );
    }
    return undefined;
  }
}

export interface PathControllerOptions extends ControllerSettings {
  statusQps: number;
  statusBurst: number;
}

export function createPathController(ctx: OperatorContext, o: PathControllerOptions): Controller {
  const writes = new TokenBucket(o.statusQps, o.statusBurst);
  const c = new Controller({
    name: "path",
    reconciler: new PathReconciler(ctx, writes),
    metrics: ctx.metrics,
    logger: ctx.logger,
    ...fromSettings(o),
  });
  // New Paths pick up telemetry that arrived before them; our own status writes are not events.
  // A deleted Path leaves its tunnel's sample to the API's own removal (telemetry-cache.ts).
  c.watch(ctx.informers.paths, (path, _old, kind) => (kind === "add" ? [objectKey(path)] : []));
  ctx.telemetry.onSample((sample) => {
    const key = `${ctx.namespace}/${sample.id}`;
    // Only tunnels this operator has a Path for, and only samples worth a write: every tick
    // carries thousands of unchanged samples, and a reconcile per sample only to skip it cost
    // a queue round trip each. The reconcile decides again on the then newest sample.
    const path = ctx.informers.paths.store.get(key);
    if (!path) return;
    if (statusWriteDecision(path.status, sample).write) c.enqueue(key);
    else ctx.patronusMetrics.pathStatusSkipped.inc({ reason: "within_tolerance" });
  });
  return c;
}

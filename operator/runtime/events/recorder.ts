/**
 * Records events.k8s.io/v1 Events for important transitions. Recording never blocks a reconcile:
 * events go into a bounded buffer drained by one sender at the limiter's rate; identical events
 * for the same object within the dedup window are dropped (the Event API is advisory, and a
 * flapping path or a 1000-site burst must not take the apiserver's writes from the objects).
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { EVENTS, type KubeObject, resourcePath } from "../kube/resources.ts";
import type { RestClient } from "../kube/rest-client.ts";
import { microTime } from "../leaderelection/record.ts";
import type { OperatorMetrics } from "../metrics/registry.ts";
import type { TokenBucket } from "../ratelimit/token-bucket.ts";

export type EventType = "Normal" | "Warning";

export interface EventRecorderOptions {
  rest: RestClient;
  controller: string;
  instance: string;
  metrics: OperatorMetrics;
  logger: Logger;
  /** Paces the sender; without one, events go out as fast as the apiserver answers. */
  limiter?: TokenBucket;
  bufferSize?: number;
  dedupWindowMs?: number;
}

interface Pending {
  body: unknown;
  type: EventType;
}

const DEDUP_KEYS = 4096;

export class EventRecorder {
  private readonly o: EventRecorderOptions;
  private readonly buffer: Pending[] = [];
  private readonly recent = new Map<string, number>();
  private draining = false;
  private closed = false;

  constructor(options: EventRecorderOptions) {
    this.o = options;
  }

  record(obj: KubeObject, type: EventType, reason: string, action: string, note: string): void {
    if (this.closed) return;
    const m = obj.metadata;
    const dedupKey = `${m.uid ?? m.name}|${type}|${reason}|${note}`;
    const now = performance.now();
    const last = this.recent.get(dedupKey);
    if (last !== undefined && now - last < (this.o.dedupWindowMs ?? 60_000)) {
      this.o.metrics.eventsEmitted.inc({ type, outcome: "deduplicated" });
      return;
    }
    this.recent.delete(dedupKey);
    this.recent.set(dedupKey, now);
    if (this.recent.size > DEDUP_KEYS) this.recent.delete(this.recent.keys().next().value!);
    if (this.buffer.length >= (this.o.bufferSize ?? 1000)) {
      this.o.metrics.eventsEmitted.inc({ type, outcome: "dropped" });
      return;
    }
    const stamp = new Date();
    this.buffer.push({
      type,
      body: {
        apiVersion: "events.k8s.io/v1",
        kind: "Event",
        metadata: {
          name: `${m.name}.${stamp.getTime().toString(16)}${randomBytes(3).toString("hex")}`,
          namespace: m.namespace,
        },
        eventTime: microTime(stamp),
        reportingController: this.o.controller,
        reportingInstance: this.o.instance,
        action,
        reason,
        note: note.slice(0, 1024),
        type,
        regarding: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: m.name,
          namespace: m.namespace,
          uid: m.uid,
          resourceVersion: m.resourceVersion,
        },
      },
    });
    void this.drain();
  }

  close(): void {
    this.closed = true;
    this.buffer.length = 0;
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.buffer.shift(); next; next = this.buffer.shift()) {
        await this.o.limiter?.take();
        // A stopped operator posts nothing more: what is still buffered is dropped, as at exit.
        if (this.closed) break;
        const ns = (next.body as { metadata: { namespace: string } }).metadata.namespace;
        try {
          await this.o.rest.create(resourcePath(EVENTS, ns), next.body);
          this.o.metrics.eventsEmitted.inc({ type: next.type, outcome: "sent" });
        } catch (err) {
          this.o.metrics.eventsEmitted.inc({ type: next.type, outcome: "failed" });
          this.o.logger.debug({ err: String(err) }, "could not record event");
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

/**
 * A controller as controller-runtime's: event handlers map informer events to keys on one
 * rate-limited workqueue; N workers (async loops on the one event loop) reconcile keys; the
 * result decides the requeue. Handlers attach on start(), with a replay of the cache, so a
 * standby that becomes leader sees every existing object once.
 */
import type { Logger } from "pino";
import type { Informer } from "../informer/informer.ts";
import type { KubeObject } from "../kube/resources.ts";
import { isConflict } from "../kube/rest-client.ts";
import { FencedError } from "../leaderelection/fence.ts";
import { type OperatorMetrics, queueMetricsFor } from "../metrics/registry.ts";
import { sleep } from "../ratelimit/token-bucket.ts";
import { RateLimitingQueue } from "../workqueue/queue.ts";
import { defaultControllerRateLimiter, type RateLimiter } from "../workqueue/rate-limiters.ts";

export interface Result {
  /** Reconcile again after this delay (the item's failure backoff is reset). */
  requeueAfterMs?: number;
  /** Reconcile again with the item's backoff, as after an error but without counting one. */
  requeue?: boolean;
}

export interface Reconciler {
  reconcile(key: string): Promise<Result | undefined>;
}

/** An error retrying cannot fix (controller-runtime's TerminalError): logged and counted, not requeued. */
export class TerminalError extends Error {
  override name = "TerminalError";
}

/** Maps an event on a watched object to the keys to reconcile; `old` is set for updates. */
export type EventMapper<T> = (
  obj: T,
  old: T | undefined,
  kind: "add" | "update" | "delete",
) => Iterable<string>;

export interface ControllerOptions {
  name: string;
  reconciler: Reconciler;
  concurrency: number;
  metrics: OperatorMetrics;
  logger: Logger;
  rateLimiter?: RateLimiter;
  /** A deliberate slowdown per reconcile, for the harness's A/B proof that it can see one. */
  reconcileDelayMs?: number;
  /** Deliberate CPU work per reconcile (ms of this process's CPU time): a hot path made slower. */
  reconcileCpuMs?: number;
}

/** Per-controller settings from flags. */
export interface ControllerSettings {
  concurrency: number;
  reconcileDelayMs: number;
  reconcileCpuMs: number;
  workqueueQps: number;
  workqueueBurst: number;
}

/** The Controller options a settings block stands for (a fresh rate limiter per controller). */
export function fromSettings(
  s: ControllerSettings,
): Pick<ControllerOptions, "concurrency" | "reconcileDelayMs" | "reconcileCpuMs" | "rateLimiter"> {
  return {
    concurrency: s.concurrency,
    reconcileDelayMs: s.reconcileDelayMs,
    reconcileCpuMs: s.reconcileCpuMs,
    rateLimiter: defaultControllerRateLimiter({ qps: s.workqueueQps, burst: s.workqueueBurst }),
  };
}

export class Controller {
  readonly name: string;
  readonly queue: RateLimitingQueue;
  private readonly o: ControllerOptions;
  private readonly log: Logger;
  private readonly watches: (() => void)[] = [];
  private workers: Promise<void>[] = [];
  private started = false;

  constructor(options: ControllerOptions) {
    this.o = options;
    this.name = options.name;
    this.log = options.logger.child({ controller: options.name });
    this.queue = new RateLimitingQueue({
      rateLimiter: options.rateLimiter ?? defaultControllerRateLimiter(),
      metrics: queueMetricsFor(options.metrics, options.name),
    });
    options.metrics.trackInFlight(options.name, () => this.queue.processingAges());
    options.metrics.maxConcurrent.set({ controller: options.name }, options.concurrency);
    options.metrics.activeWorkers.set({ controller: options.name }, 0);
    // Zero-valued series from the start, as controller-runtime does, so rate() works from the first scrape.
    options.metrics.reconcileErrors.inc({ controller: options.name }, 0);
    for (const result of ["success", "error", "requeue", "requeue_after"]) {
      options.metrics.reconcileTotal.inc({ controller: options.name, result }, 0);
    }
  }

  /** Declares an event source; it is attached when the controller starts. */
  watch<T extends KubeObject>(informer: Informer<T>, map: EventMapper<T>): this {
    this.watches.push(() =>
      informer.addHandlers({
        add: (obj) => this.enqueueAll(map(obj, undefined, "add")),
        update: (old, obj) => this.enqueueAll(map(obj, old, "update")),
        delete: (obj) => this.enqueueAll(map(obj, undefined, "delete")),
      }),
    );
    return this;
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const attach of this.watches) attach();
    for (let i = 0; i < this.o.concurrency; i++) this.workers.push(this.worker());
    this.log.info({ workers: this.o.concurrency }, "controller started");
  }

  /** Stops taking keys and waits for in-flight reconciles. */
  async stop(): Promise<void> {
    await this.queue.shutdown(true);
    await Promise.all(this.workers);
  }

  private enqueueAll(keys: Iterable<string>): void {
    for (const k of keys) this.queue.add(k);
  }

  private async worker(): Promise<void> {
    const { metrics, name } = { metrics: this.o.metrics, name: this.name };
    const active = metrics.activeWorkers.labels({ controller: name });
    const time = metrics.reconcileTime.labels({ controller: name });
    for (;;) {
      const item = await this.queue.get();
      if (item.shutdown) return;
      const key = item.key;
      active.inc();
      const t0 = performance.now();
      try {
        if (this.o.reconcileDelayMs) await sleep(this.o.reconcileDelayMs);
        if (this.o.reconcileCpuMs) burnCpu(this.o.reconcileCpuMs);
        const result = await this.o.reconciler.reconcile(key);
        if (result?.requeueAfterMs !== undefined) {
          this.queue.forget(key);
          this.queue.addAfter(key, result.requeueAfterMs);
          metrics.reconcileTotal.inc({ controller: name, result: "requeue_after" });
        } else if (result?.requeue) {
          this.queue.addRateLimited(key);
          metrics.reconcileTotal.inc({ controller: name, result: "requeue" });
        } else {
          this.queue.forget(key);
          metrics.reconcileTotal.inc({ controller: name, result: "success" });
        }
      } catch (err) {
        metrics.reconcileErrors.inc({ controller: name });
        metrics.reconcileTotal.inc({ controller: name, result: "error" });
        if (err instanceof TerminalError) {
          this.queue.forget(key);
          this.log.error({ key, err: err.message }, "reconcile failed permanently");
        } else if (isFenced(err)) {
          // Not the object's failure: the lease's renewal is overdue. The fence lifts at the next
          // renewal (within a retry period) or leadership ends; exponential backoff would instead
          // park the object for minutes after a few refusals on a busy machine.
          this.queue.forget(key);
          this.queue.addAfter(key, FENCED_REQUEUE_MS);
          this.log.info({ key, err: errorText(err) }, "write fenced; requeued");
        } else if (isConflict(err)) {
          // A write based on a cache that trailed the apiserver: routine, retried on a fresh read.
          this.queue.addRateLimited(key);
          this.log.debug({ key, err: errorText(err) }, "conflict; requeued");
        } else {
          // An error may say when retrying makes sense (an open circuit, a Retry-After).
          this.queue.addRateLimited(key, retryAfterHint(err));
          this.log.warn(
            { key, err: errorText(err), requeues: this.queue.numRequeues(key) },
            "reconcile failed; requeued with backoff",
          );
        }
      } finally {
        time.observe((performance.now() - t0) / 1000);
        active.dec();
        this.queue.done(key);
      }
    }
  }
}

/** How soon a reconcile whose write the fence refused runs again: about one lease retry period. */
export const FENCED_REQUEUE_MS = 1000;

function isFenced(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (e instanceof FencedError) return true;
  return false;
}

function retryAfterHint(err: unknown): number {
  const v = (err as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Spins until this process has used `ms` more CPU time (user + system). */
export function burnCpu(ms: number): void {
  const used = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const until = used() + ms;
  while (used() < until) {}
}

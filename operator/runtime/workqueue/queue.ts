/**
 * client-go's rate-limiting workqueue: a key is queued at most once (dirty set), never handed to
 * two workers at once (processing set; re-added keys wait until done()), can be added after a
 * delay (one shared timer) or after its rate limiter's backoff. Memory is bounded by the number
 * of distinct keys, i.e. by the objects in the cache.
 */
import { type Clock, monotonicMs } from "../ratelimit/token-bucket.ts";
import { DelayHeap } from "./delay-heap.ts";
import { Deque } from "./deque.ts";
import type { RateLimiter } from "./rate-limiters.ts";

/** What the queue reports; the Prometheus implementation lives in runtime/metrics. */
export interface QueueMetricsSink {
  add(): void;
  depth(n: number): void;
  retry(): void;
  queued(seconds: number): void;
  worked(seconds: number): void;
}

const noMetrics: QueueMetricsSink = { add() {}, depth() {}, retry() {}, queued() {}, worked() {} };

export interface QueueOptions {
  rateLimiter: RateLimiter;
  metrics?: QueueMetricsSink;
  now?: Clock;
}

export type GetResult = { key: string; shutdown: false } | { key: undefined; shutdown: true };

export class RateLimitingQueue {
  private readonly queue = new Deque<string>();
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly addedAt = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();
  private readonly waiters: ((r: GetResult) => void)[] = [];
  private readonly delayed: DelayHeap;
  private readonly rateLimiter: RateLimiter;
  private readonly metrics: QueueMetricsSink;
  private readonly now: Clock;
  private shuttingDown = false;
  private drainResolvers: (() => void)[] = [];

  constructor(options: QueueOptions) {
    this.rateLimiter = options.rateLimiter;
    this.metrics = options.metrics ?? noMetrics;
    this.now = options.now ?? monotonicMs;
    this.delayed = new DelayHeap((key) => this.add(key), this.now);
  }

  get length(): number {
    return this.queue.length;
  }

  /** Keys waiting for their delay to pass. */
  get waitingLength(): number {
    return this.delayed.size;
  }

  get shutDown(): boolean {
    return this.shuttingDown;
  }

  add(key: string): void {
    if (this.shuttingDown) return;
    if (this.dirty.has(key)) return;
    this.metrics.add();
    this.dirty.add(key);
    if (!this.addedAt.has(key)) this.addedAt.set(key, this.now());
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    this.delayed.add(key, delayMs);
  }

  /** Re-adds after the key's backoff, or after `minDelayMs` if that is longer (a server's Retry-After). */
  addRateLimited(key: string, minDelayMs = 0): void {
    this.metrics.retry();
    this.addAfter(key, Math.max(minDelayMs, this.rateLimiter.when(key)));
  }

  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** Resolves with the next key, or with shutdown once the queue is shut down and empty. */
  get(): Promise<GetResult> {
    // After shutdown only in-flight keys finish; queued ones are dropped, so a deep queue
    // cannot hold a terminating replica (and its API calls) for minutes.
    if (this.shuttingDown) return Promise.resolve({ key: undefined, shutdown: true });
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(this.hand(key));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: string): void {
    this.processing.delete(key);
    const started = this.startedAt.get(key);
    if (started !== undefined) {
      this.metrics.worked((this.now() - started) / 1000);
      this.startedAt.delete(key);
    }
    if (this.dirty.has(key)) this.enqueue(key);
    else if (this.processing.size === 0) this.notifyDrained();
  }

  /** Stops accepting keys and wakes idle workers; with drain, resolves after in-flight keys are done. */
  async shutdown(drain = false): Promise<void> {
    this.shuttingDown = true;
    this.delayed.clear();
    for (const w of this.waiters.splice(0)) w({ key: undefined, shutdown: true });
    if (drain && this.processing.size > 0) {
      await new Promise<void>((resolve) => this.drainResolvers.push(resolve));
    }
  }

  private enqueue(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(this.hand(key));
      return;
    }
    this.queue.push(key);
    this.metrics.depth(this.queue.length);
  }

  private hand(key: string): GetResult {
    this.processing.add(key);
    this.dirty.delete(key);
    const added = this.addedAt.get(key);
    if (added !== undefined) {
      this.metrics.queued((this.now() - added) / 1000);
      this.addedAt.delete(key);
    }
    this.startedAt.set(key, this.now());
    this.metrics.depth(this.queue.length);
    return { key, shutdown: false };
  }

  private notifyDrained(): void {
    for (const r of this.drainResolvers.splice(0)) r();
  }

  /** Seconds each in-flight key has been processing (for the unfinished-work gauges). */
  *processingAges(): Iterable<number> {
    const now = this.now();
    for (const started of this.startedAt.values()) yield (now - started) / 1000;
  }

  /** Test hook: move due delayed keys now (with an injected clock). */
  flushDelayed(): void {
    this.delayed.flush();
  }
}

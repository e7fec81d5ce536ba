/**
 * Rate limiters for the workqueue, as client-go's: per-item exponential failure backoff, an
 * overall token bucket, and the max of both (controller-runtime's default).
 */
import { type Clock, monotonicMs, TokenBucket } from "../ratelimit/token-bucket.ts";

export interface RateLimiter {
  /** Ms to wait before the item may be processed again. */
  when(item: string): number;
  forget(item: string): void;
  numRequeues(item: string): number;
}

export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();
  readonly baseMs: number;
  readonly maxMs: number;

  constructor(baseMs: number, maxMs: number) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
  }

  when(item: string): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    // 2^exp overflows to Infinity long before it matters; the cap keeps it finite.
    return Math.min(this.baseMs * 2 ** exp, this.maxMs);
  }

  forget(item: string): void {
    this.failures.delete(item);
  }

  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
}

/** The overall bucket: bounds the retry rate of the whole queue, whatever the number of items. */
export class BucketRateLimiter implements RateLimiter {
  private readonly bucket: TokenBucket;

  constructor(qps: number, burst: number, now: Clock = monotonicMs) {
    this.bucket = new TokenBucket(qps, burst, now);
  }

  when(_item: string): number {
    return this.bucket.reserve();
  }

  forget(_item: string): void {}

  numRequeues(_item: string): number {
    return 0;
  }
}

export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(item: string): number {
    let max = 0;
    // Every limiter must see every call (the bucket reserves a token, the backoff counts a failure).
    for (const l of this.limiters) max = Math.max(max, l.when(item));
    return max;
  }

  forget(item: string): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: string): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}

export interface RateLimiterOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  qps?: number;
  burst?: number;
  now?: Clock;
}

/** controller-runtime's DefaultTypedControllerRateLimiter: 5 ms → 1000 s per item, 10 qps / 100 burst overall. */
export function defaultControllerRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  return new MaxOfRateLimiter(
    new ItemExponentialFailureRateLimiter(options.baseDelayMs ?? 5, options.maxDelayMs ?? 1_000_000),
    new BucketRateLimiter(options.qps ?? 10, options.burst ?? 100, options.now),
  );
}

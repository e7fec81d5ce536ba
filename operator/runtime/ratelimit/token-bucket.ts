/**
 * A token bucket with reservations, the shape of golang.org/x/time/rate that client-go's
 * limiters are built on: `reserve()` always succeeds and says how long the caller must wait, so
 * callers queue in order without a timer per waiter. Time is injected so tests run instantly.
 */
export type Clock = () => number;

export const monotonicMs: Clock = () => performance.now();

export class TokenBucket {
  readonly qps: number;
  readonly burst: number;
  private tokens: number;
  private last: number;
  private readonly now: Clock;

  constructor(qps: number, burst: number, now: Clock = monotonicMs) {
    if (!(qps > 0) || !(burst >= 1))
      throw new RangeError(`token bucket needs qps > 0 and burst ≥ 1, got qps=${qps} burst=${burst}`);
    this.qps = qps;
    this.burst = burst;
    this.tokens = burst;
    this.now = now;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    if (t > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
      this.last = t;
    }
  }

  /** Takes a token now if there is one. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Takes a token, possibly borrowed from the future; returns the ms to wait before using it. */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  /** Ms until a token is available, without taking one. */
  waitTimeMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.qps) * 1000;
  }

  /** Resolves when the caller may proceed. One timer per waiting call, none when tokens are left. */
  async take(signal?: AbortSignal): Promise<void> {
    const delay = this.reserve();
    if (delay > 0) await sleep(delay, signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

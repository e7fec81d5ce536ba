/**
 * A circuit breaker so a Patronus outage never becomes a retry storm: after `failureThreshold`
 * consecutive failures the circuit opens and every call fails fast for `openMs`; then one trial
 * call is let through (half-open). Its success closes the circuit; its failure re-opens it for
 * twice as long, up to `maxOpenMs`. While open, the whole operator sends at most one request
 * per open window, however many objects are queued.
 */
import { type Clock, monotonicMs } from "../runtime/ratelimit/token-bucket.ts";

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  failureThreshold: number;
  openMs: number;
  maxOpenMs: number;
  now?: Clock;
  onStateChange?: (state: CircuitState) => void;
}

export class CircuitOpenError extends Error {
  override name = "CircuitOpenError";
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number) {
    super(
      `Patronus API circuit is open after repeated failures; next trial in ${Math.ceil(retryAfterMs)} ms`,
    );
    this.retryAfterMs = retryAfterMs;
  }
}

export class CircuitBreaker {
  private stateValue: CircuitState = "closed";
  private failures = 0;
  private openedAt = 0;
  private currentOpenMs: number;
  private trialInFlight = false;
  private readonly o: CircuitBreakerOptions;
  private readonly now: Clock;

  constructor(options: CircuitBreakerOptions) {
    this.o = options;
    this.now = options.now ?? monotonicMs;
    this.currentOpenMs = options.openMs;
  }

  get state(): CircuitState {
    if (this.stateValue === "open" && this.now() - this.openedAt >= this.currentOpenMs) return "half-open";
    return this.stateValue;
  }

  /** Ms until a call may be attempted (0 when it may go now). */
  retryAfterMs(): number {
    if (this.stateValue !== "open") return 0;
    return Math.max(0, this.openedAt + this.currentOpenMs - this.now());
  }

  /** Throws CircuitOpenError when the call must not be made; otherwise the caller must report the outcome. */
  acquire(): void {
    const s = this.state;
    if (s === "closed") return;
    if (s === "open") throw new CircuitOpenError(this.retryAfterMs());
    if (this.trialInFlight) throw new CircuitOpenError(this.o.openMs);
    this.trialInFlight = true;
    this.setState("half-open");
  }

  onSuccess(): void {
    this.trialInFlight = false;
    this.failures = 0;
    this.currentOpenMs = this.o.openMs;
    this.setState("closed");
  }

  onFailure(): void {
    if (this.stateValue === "half-open") {
      this.trialInFlight = false;
      this.currentOpenMs = Math.min(this.o.maxOpenMs, this.currentOpenMs * 2);
      this.open();
      return;
    }
    this.failures++;
    if (this.stateValue === "closed" && this.failures >= this.o.failureThreshold) this.open();
  }

  /** The outcome of a call that did not test the API's health (e.g. a 4xx): releases a trial slot. */
  onNeutral(): void {
    if (this.stateValue === "half-open") this.onSuccess();
  }

  private open(): void {
    this.openedAt = this.now();
    this.setState("open");
  }

  private setState(s: CircuitState): void {
    if (this.stateValue === s) return;
    this.stateValue = s;
    this.o.onStateChange?.(s);
  }
}

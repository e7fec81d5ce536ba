/**
 * Bearer tokens and the per-token request rate. Tokens are compared in constant time and never
 * appear in logs, errors or metrics; rate-limit buckets are keyed by a digest, not the token.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { HttpError } from "./router.ts";

const digest = (s: string) => createHash("sha256").update(s).digest();

export class TokenAuth {
  private readonly digests: Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(digest);
  }

  /** Returns the token's digest (hex) for rate limiting; throws 401. */
  check(req: IncomingMessage): string {
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) throw unauthorized("missing bearer token (Authorization: Bearer <token>)");
    const d = digest(m[1]!);
    if (!this.digests.some((known) => timingSafeEqual(known, d))) throw unauthorized("invalid bearer token");
    return d.toString("hex");
  }
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, "unauthorized", message, {
    headers: { "www-authenticate": 'Bearer realm="patronus"' },
  });
}

export interface RateLimit {
  requestsPerSecond: number;
  burst: number;
}

/** A token bucket per token: steady `requestsPerSecond`, bursts up to `burst`. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly limit: RateLimit;

  constructor(limit: RateLimit) {
    this.limit = limit;
  }

  /** Throws 429 with Retry-After (whole seconds, at least 1) when the bucket is empty. */
  take(key: string, now = performance.now()): void {
    const { requestsPerSecond: rate, burst } = this.limit;
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    this.buckets.set(key, b);
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return;
    }
    const retryAfter = Math.max(1, Math.ceil((1 - b.tokens) / rate));
    throw new HttpError(429, "rate_limited", `rate limit of ${rate} requests/s (burst ${burst}) exceeded`, {
      headers: { "retry-after": String(retryAfter) },
    });
  }
}

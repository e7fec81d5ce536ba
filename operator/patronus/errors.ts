/** What the Patronus client throws, and which of it is worth retrying later. */
import { ApiError } from "../../contract/patronus-api/v1.ts";
import { CircuitOpenError } from "./circuit-breaker.ts";

/** A definite answer from the API (4xx other than 429, or the last 5xx after retries). */
export class PatronusApiError extends Error {
  override name = "PatronusApiError";
  readonly status: number;
  readonly code: string | undefined;
  readonly field: string | undefined;
  /** From Retry-After on 429/503: when the API said to come back. */
  retryAfterMs: number | undefined;
  constructor(method: string, path: string, status: number, body: unknown) {
    const parsed = ApiError.safeParse(body);
    const detail = parsed.success
      ? `${parsed.data.code}: ${parsed.data.message}${parsed.data.field ? ` (field ${parsed.data.field})` : ""}`
      : JSON.stringify(body)?.slice(0, 300);
    super(`Patronus API ${method} ${path} → ${status} ${detail}`);
    this.status = status;
    this.code = parsed.success ? parsed.data.code : undefined;
    this.field = parsed.success ? parsed.data.field : undefined;
  }
}

/** The API could not be reached or kept failing; retry later. */
export class PatronusUnavailableError extends Error {
  override name = "PatronusUnavailableError";
}

export function withRetryAfter(err: PatronusApiError, ms: number): PatronusApiError {
  err.retryAfterMs = ms;
  return err;
}

/** Whether an error means "the API is unhealthy or busy, try again later" rather than "your request is wrong". */
export function isTransient(err: unknown): boolean {
  return (
    err instanceof PatronusUnavailableError ||
    err instanceof CircuitOpenError ||
    (err instanceof PatronusApiError && (err.status === 429 || err.status >= 500))
  );
}

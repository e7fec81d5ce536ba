/**
 * The router's connection to one simulator replica: an undici Pool (keep-alive, bounded
 * connections) for JSON calls and the telemetry stream. A replica that cannot be reached becomes
 * a 503 naming the shard, so the operator backs off as it would for the single simulator.
 */
import { Pool } from "undici";
import { CALLER_HEADER } from "../requests/caller.ts";
import { HttpError } from "../server/router.ts";

/** The caller name of the shard router's own requests to its replicas. */
export const ROUTER_CALLER = "shard-router";

export interface UpstreamReply {
  status: number;
  body: unknown;
  retryAfter: string | undefined;
}

export class ReplicaClient {
  readonly index: number;
  readonly url: string;
  readonly pool: Pool;
  private readonly authorization: string;

  constructor(index: number, url: string, token: string) {
    this.index = index;
    this.url = url.replace(/\/$/, "");
    this.authorization = `Bearer ${token}`;
    this.pool = new Pool(this.url, { connections: 32, keepAliveTimeout: 4000 });
  }

  /** The router's own calls (telemetry feeds, fan-out) are attributed to it in the replica's log. */
  get headers(): Record<string, string> {
    return { authorization: this.authorization, [CALLER_HEADER]: ROUTER_CALLER };
  }

  /** `caller`: the client the router serves, passed on so the replica attributes the call to it. */
  async call(method: string, path: string, body?: unknown, caller?: string): Promise<UpstreamReply> {
    let res: Awaited<ReturnType<Pool["request"]>>;
    try {
      res = await this.pool.request({
        method: method as "GET",
        path,
        headers: {
          authorization: this.authorization,
          [CALLER_HEADER]: caller ?? ROUTER_CALLER,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
    } catch (err) {
      throw new HttpError(
        503,
        "unavailable",
        `mesh shard ${this.index} unreachable: ${(err as Error).message}`,
        {
          headers: { "retry-after": "1" },
        },
      );
    }
    const text = await res.body.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new HttpError(
        503,
        "unavailable",
        `mesh shard ${this.index} answered ${res.statusCode} without JSON`,
      );
    }
    const ra = res.headers["retry-after"];
    return { status: res.statusCode, body: parsed, retryAfter: Array.isArray(ra) ? ra[0] : ra };
  }

  /** The call's body when it succeeded with one of `ok`, else its ApiError passed on as is. */
  async expect(method: string, path: string, body: unknown, ok: readonly number[]): Promise<UpstreamReply> {
    const r = await this.call(method, path, body);
    if (!ok.includes(r.status)) throw passOn(r);
    return r;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** A replica's error answer, re-thrown unchanged (status, code, message, field, Retry-After). */
export function passOn(r: UpstreamReply): HttpError {
  const b = (r.body ?? {}) as { code?: string; message?: string; field?: string };
  return new HttpError(
    r.status,
    (b.code ?? "internal") as HttpError["code"],
    b.message ?? `shard answered ${r.status}`,
    {
      ...(b.field ? { field: b.field } : {}),
      ...(r.retryAfter ? { headers: { "retry-after": r.retryAfter } } : {}),
    },
  );
}

/**
 * Typed client of the simulator's fault-injection API and event log, for scenarios and tests.
 * Uses global fetch; every call has a timeout and fails with the server's ApiError message.
 */

import type { z } from "zod";
import { ApiError } from "../../../contract/patronus-api/v1.ts";
import { RECEIVED_PATH, ReceivedState } from "../api/patronus-rs.ts";
import {
  type ApiFaultRequest,
  type DegradeRequest,
  EventPage,
  FAULTS_BASE_PATH,
  type FailRequest,
  Fault,
  FaultList,
  type FaultTarget,
  type FlapRequest,
  RestoreResult,
} from "../faults/schema.ts";
import { REQUESTS_PATH, RequestPage } from "../requests/schema.ts";

export class MeshClientError extends Error {
  override name = "MeshClientError";
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

export interface FaultClientOptions {
  /** Base URL of the simulator, e.g. http://127.0.0.1:PORT */
  url: string;
  token: string;
  timeoutMs?: number;
}

export class FaultClient {
  private readonly base: string;
  private readonly token: string;
  private readonly timeoutMs: number;

  constructor(options: FaultClientOptions) {
    this.base = options.url.replace(/\/$/, "");
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  fail(target: FaultTarget, durationMs?: number): Promise<Fault> {
    const body: FailRequest = durationMs === undefined ? { target } : { target, durationMs };
    return this.call("POST", `${FAULTS_BASE_PATH}/fail`, body, Fault);
  }

  async restore(target: FaultTarget): Promise<string[]> {
    return (await this.call("POST", `${FAULTS_BASE_PATH}/restore`, { target }, RestoreResult)).cleared;
  }

  degrade(request: DegradeRequest): Promise<Fault> {
    return this.call("POST", `${FAULTS_BASE_PATH}/degrade`, request, Fault);
  }

  flap(request: FlapRequest): Promise<Fault> {
    return this.call("POST", `${FAULTS_BASE_PATH}/flap`, request, Fault);
  }

  /** Patronus API faults: unavailable (503), latency, reset, drop-stream. */
  api(request: ApiFaultRequest): Promise<Fault> {
    return this.call("POST", `${FAULTS_BASE_PATH}/api`, request, Fault);
  }

  /**
   * Cuts `caller` off from the Patronus API for durationMs: "blackhole" holds its requests
   * unanswered until it gives up or the partition heals, "reset" resets them at once.
   */
  partition(caller: string, durationMs: number, mode: "blackhole" | "reset" = "blackhole"): Promise<Fault> {
    return this.api({ kind: "partition", caller, durationMs, mode });
  }

  /** Patronus API requests of clients under test after `since` (a seq); pass lastSeq next time. */
  requests(since = 0, options: { caller?: string; limit?: number } = {}): Promise<RequestPage> {
    const q = new URLSearchParams({ since: String(since) });
    if (options.caller) q.set("caller", options.caller);
    if (options.limit) q.set("limit", String(options.limit));
    return this.call("GET", `${REQUESTS_PATH}?${q}`, undefined, RequestPage);
  }

  /** What a patronus-rs simulator received: latest body per site and policy, deletions. */
  received(): Promise<ReceivedState> {
    return this.call("GET", RECEIVED_PATH, undefined, ReceivedState);
  }

  async list(): Promise<Fault[]> {
    return (await this.call("GET", `${FAULTS_BASE_PATH}/faults`, undefined, FaultList)).faults;
  }

  async clear(id: string): Promise<void> {
    await this.call("DELETE", `${FAULTS_BASE_PATH}/faults/${encodeURIComponent(id)}`, undefined, undefined);
  }

  async clearAll(): Promise<string[]> {
    return (await this.call("POST", `${FAULTS_BASE_PATH}/clear`, undefined, RestoreResult)).cleared;
  }

  /** Events after `since` (a seq); pass the returned lastSeq next time. */
  events(since = 0, options: { kinds?: readonly string[]; limit?: number } = {}): Promise<EventPage> {
    const q = new URLSearchParams({ since: String(since) });
    if (options.kinds?.length) q.set("kinds", options.kinds.join(","));
    if (options.limit) q.set("limit", String(options.limit));
    return this.call("GET", `/events?${q}`, undefined, EventPage);
  }

  private async call<T extends z.ZodType | undefined>(
    method: string,
    path: string,
    body: unknown,
    schema: T,
  ): Promise<T extends z.ZodType ? z.output<T> : undefined> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) {
      const parsed = ApiError.safeParse(safeJson(text));
      const message = parsed.success ? parsed.data.message : text.slice(0, 200);
      throw new MeshClientError(`${method} ${path} → ${res.status}: ${message}`, res.status);
    }
    if (!schema) return undefined as never;
    const parsed = schema.safeParse(safeJson(text));
    if (!parsed.success)
      throw new MeshClientError(
        `${method} ${path}: unexpected response: ${parsed.error.message}`,
        res.status,
      );
    return parsed.data as never;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

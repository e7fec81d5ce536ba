/**
 * The harness's own requests to the apiserver where client-node costs too much: the load driver's
 * writes (a 1000-Site burst) and the measurements' long watches. client-node's generic object API
 * wraps each call in its middleware chain, WHATWG fetch streams and its ObjectSerializer, about
 * 1 ms of harness CPU per request taken from the apiserver it measures, and its Watch cut quiet
 * watches every 30 s. Here a call is one undici request on a keep-alive pool; TLS material and
 * credentials still come from client-node's KubeConfig, so every kubeconfig it reads works.
 */
import type { RequestOptions as HttpsRequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { Agent, type Dispatcher } from "undici";

export const MERGE_PATCH = "application/merge-patch+json";

type Verb = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Query = Record<string, string | number | boolean | undefined>;

/** A non-2xx answer, with the Status reason when the apiserver sent one (NotFound, Gone…). */
export class KubeRequestError extends Error {
  override name = "KubeRequestError";
  readonly status: number;
  readonly reason: string | undefined;
  constructor(verb: string, path: string, status: number, body: string) {
    let reason: string | undefined;
    let message = body.slice(0, 500);
    try {
      const s = JSON.parse(body) as { reason?: string; message?: string };
      reason = s.reason;
      message = s.message ?? message;
    } catch {
      // Not a Status (a proxy's error page): the text is the message.
    }
    super(`${verb} ${path}: ${status} ${reason ?? ""} ${message}`.replace(/\s+/g, " ").trim());
    this.status = status;
    this.reason = reason;
  }
}

/** A 410: the watch's resourceVersion is older than the apiserver keeps; re-list. */
export function isGone(err: unknown): boolean {
  return err instanceof KubeRequestError && err.status === 410;
}

/** Credentials are fetched again after this long, so rotated tokens and exec plugins keep working. */
const CREDENTIALS_TTL_MS = 10_000;
/** Bounds a write that hangs (headers, then between body chunks); watches have no such bound. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Watches hold their connection for the whole run, so they get a pool of their own. */
const WATCH_CONNECTIONS = 16;

export interface KubeRestOptions {
  /** Connections in the request pool: requests beyond it wait in the harness, not the apiserver. */
  connections: number;
  /** The apiserver names the field manager of each write after it. */
  userAgent: string;
}

export class KubeRest {
  private readonly kc: KubeConfig;
  private readonly options: KubeRestOptions;
  private readonly origin: string;
  private readonly basePath: string;
  private credentials: { headers: Record<string, string>; at: number } | undefined;
  private pool: Promise<Dispatcher> | undefined;
  private watchPool: Promise<Dispatcher> | undefined;

  constructor(kc: KubeConfig, options: KubeRestOptions) {
    const server = kc.getCurrentCluster()?.server;
    if (!server) throw new Error("the kubeconfig has no current cluster");
    const url = new URL(server);
    this.kc = kc;
    this.options = options;
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
  }

  /** One call; the 2xx answer's JSON body is returned. */
  async request<T>(
    verb: Verb,
    path: string,
    call: { body?: unknown; contentType?: string; query?: Query } = {},
  ): Promise<T> {
    const headers = await this.headers();
    if (call.body !== undefined) headers["content-type"] = call.contentType ?? "application/json";
    const pool = await this.connections("request");
    const res = await pool.request({
      origin: this.origin,
      path: this.basePath + path + queryString(call.query),
      method: verb,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode >= 300)
      throw new KubeRequestError(verb, path, res.statusCode, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Opens a watch; resolves with its body, a stream of JSON lines. A non-200 answer throws. */
  async openWatch(path: string, query: Query, signal: AbortSignal): Promise<AsyncIterable<Buffer>> {
    const pool = await this.connections("watch");
    const res = await pool.request({
      origin: this.origin,
      path: this.basePath + path + queryString({ ...query, watch: true }),
      method: "GET",
      headers: await this.headers(),
      signal,
      // Events come when objects change; the caller's inactivity timer judges a silence.
      bodyTimeout: 0,
    });
    if (res.statusCode === 200) return res.body;
    throw new KubeRequestError("WATCH", path, res.statusCode, await res.body.text());
  }

  async close(): Promise<void> {
    const pools = [this.pool, this.watchPool];
    this.pool = undefined;
    this.watchPool = undefined;
    await Promise.all(pools.map(async (p) => (await p)?.close()));
  }

  private connections(kind: "request" | "watch"): Promise<Dispatcher> {
    if (kind === "watch") {
      this.watchPool ??= this.agent(WATCH_CONNECTIONS);
      return this.watchPool;
    }
    this.pool ??= this.agent(this.options.connections);
    return this.pool;
  }

  private async agent(connections: number): Promise<Dispatcher> {
    const tls: HttpsRequestOptions = {};
    await this.kc.applyToHTTPSOptions(tls);
    return new Agent({
      connections,
      keepAliveTimeout: 60_000,
      connect: {
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
        ...(tls.servername ? { servername: tls.servername } : {}),
      },
    });
  }

  private async headers(): Promise<Record<string, string>> {
    const now = performance.now();
    if (!this.credentials || now - this.credentials.at > CREDENTIALS_TTL_MS) {
      const opts: HttpsRequestOptions = {};
      await this.kc.applyToHTTPSOptions(opts);
      const auth: Record<string, string> = {};
      for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === "string") auth[k] = v;
      if (opts.auth) auth.authorization = `Basic ${Buffer.from(opts.auth).toString("base64")}`;
      this.credentials = { headers: auth, at: now };
    }
    return { ...this.credentials.headers, accept: "application/json", "user-agent": this.options.userAgent };
  }
}

function queryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}

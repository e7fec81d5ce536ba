/**
 * The simulator's HTTP front: one node:http server for the Patronus API (/api/v1), the fault API
 * (/faults/v1), the event log (/events), /metrics and /healthz. Order per request: route → auth →
 * per-token rate (Patronus API only) → injected API faults (Patronus API only) → handler.
 * Every error leaves as an ApiError JSON body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { API_BASE_PATH, type ApiError } from "../../../contract/patronus-api/v1.ts";
import type { FaultEngine } from "../faults/engine.ts";
import { OBSERVER_HEADER } from "../faults/schema.ts";
import type { RateLimiter, TokenAuth } from "./auth.ts";
import { readJsonBody } from "./body.ts";
import type { MeshMetrics } from "./metrics.ts";
import { HttpError, type Reply, type Router } from "./router.ts";

export interface HttpServerDeps {
  router: Router;
  auth: TokenAuth;
  limiter: RateLimiter;
  faults: FaultEngine;
  metrics: MeshMetrics;
  bodyLimitBytes: number;
  /** Called with unexpected handler errors (never with request headers, so never with a token). */
  onError: (err: unknown, where: string) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createMeshServer(deps: HttpServerDeps): Server {
  const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
    void handle(deps, req, res);
  });
  // Default is 300 s; a simulator serving many short calls should not hold a stalled upload longer.
  server.requestTimeout = 30_000;
  return server;
}

async function handle(deps: HttpServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  let label = "unmatched";
  let status = 500;
  const observer = req.headers[OBSERVER_HEADER] !== undefined;
  try {
    const url = new URL(req.url ?? "/", "http://simulator");
    const match = deps.router.match(req.method ?? "GET", url.pathname);
    if (match === "method")
      throw new HttpError(405, "bad_request", `method ${req.method} not allowed on ${url.pathname}`);
    if (!match) throw new HttpError(404, "not_found", `no such endpoint: ${req.method} ${url.pathname}`);
    label = match.route.pattern;
    const group = match.route.group;
    if (group !== "open") {
      const tokenKey = deps.auth.check(req);
      if (group === "api" && !observer) {
        deps.limiter.take(tokenKey);
        await applyApiFaults(deps.faults, req, res);
        if (res.destroyed) {
          status = 0;
          return;
        }
      }
    }
    let bodyCache: Promise<unknown> | undefined;
    const reply = await match.route.handler({
      req,
      res,
      url,
      params: match.params,
      body: () => {
        bodyCache ??= readJsonBody(req, deps.bodyLimitBytes);
        return bodyCache;
      },
    });
    if (reply) {
      status = reply.status;
      send(res, reply);
    } else {
      status = res.statusCode;
    }
  } catch (err) {
    const e = err instanceof HttpError ? err : undefined;
    if (!e) deps.onError(err, `${req.method} ${label}`);
    status = e?.status ?? 500;
    const body: ApiError = {
      code: e?.code ?? "internal",
      message: e?.message ?? "internal error",
      ...(e?.field ? { field: e.field } : {}),
    };
    const headers = { ...(e?.headers ?? {}) };
    if (status === 413) headers.connection = "close";
    if (!res.headersSent) send(res, { status, body, headers });
    else res.destroy();
    if (status === 413) drainThenClose(req);
  } finally {
    deps.metrics.observeRequest(
      label,
      req.method ?? "GET",
      status,
      (performance.now() - started) / 1000,
      observer,
    );
  }
}

async function applyApiFaults(faults: FaultEngine, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const now = Date.now();
  if (faults.takeReset(now)) {
    // An abrupt close with unread data makes the kernel send RST: what a crashed peer looks like.
    req.socket.resetAndDestroy();
    res.destroy();
    return;
  }
  const api = faults.api;
  if (now < api.unavailableUntil) {
    const retryAfter = Math.max(1, Math.ceil((api.unavailableUntil - now) / 1000));
    throw new HttpError(503, "unavailable", "Patronus API unavailable (injected fault)", {
      headers: { "retry-after": String(retryAfter) },
    });
  }
  if (now < api.latencyUntil) await sleep(api.latencyMs);
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers["content-type"] = "application/json";
  headers["content-length"] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers);
  res.end(text);
}

/** Reads and discards the rest of an oversize upload for a bounded time so the client sees the 413. */
function drainThenClose(req: IncomingMessage): void {
  const timer = setTimeout(() => req.destroy(), 2000);
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
  req.resume();
}

/** The base URL and Patronus API URL of a listening server (IPv6 hosts bracketed). */
export function listeningUrls(server: Server): { url: string; apiUrl: string } {
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  return { url, apiUrl: `${url}${API_BASE_PATH}` };
}

/**
 * The simulator's HTTP front: one node:http server for the Patronus API (/api/v1), the fault API
 * (/faults/v1), the event log (/events), the request log (/requests), /metrics and /healthz. Order
 * per request: caller (the /c/<caller> prefix is stripped) → route → auth → partition of the
 * caller → per-caller rate → injected API faults (the last three: Patronus API only) → handler.
 * Every error leaves as an ApiError JSON body. A client that hangs up before its answer is counted
 * as aborted (one debug line), never as a server error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { API_BASE_PATH, type ApiError } from "../../../contract/patronus-api/v1.ts";
import type { FaultEngine, Partition } from "../faults/engine.ts";
import { OBSERVER_HEADER } from "../faults/schema.ts";
import { ANONYMOUS_CALLER, CALLER_HEADER, resolveCaller } from "../requests/caller.ts";
import type { RequestLog } from "../requests/log.ts";
import type { RequestOutcome } from "../requests/schema.ts";
import type { RateLimiter, TokenAuth } from "./auth.ts";
import { readJsonBody } from "./body.ts";
import type { MeshMetrics } from "./metrics.ts";
import { HttpError, type Reply, type RouteGroup, type Router } from "./router.ts";

export interface HttpServerDeps {
  router: Router;
  auth: TokenAuth;
  limiter: RateLimiter;
  faults: FaultEngine;
  metrics: MeshMetrics;
  /** Patronus API requests of clients under test, by caller. */
  requests: RequestLog;
  /** Whether the Patronus API requires the bearer token (the patronus-rs dialect sends none). */
  apiToken: boolean;
  bodyLimitBytes: number;
  /** Called with unexpected handler errors (never with request headers, so never with a token). */
  onError: (err: unknown, where: string) => void;
  /** Routine events worth a line only when debugging (a client hanging up). */
  onDebug?: (message: string) => void;
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
  const atMs = Date.now();
  const method = req.method ?? "GET";
  let label = "unmatched";
  let status = 500;
  let outcome: RequestOutcome = "answered";
  let caller = ANONYMOUS_CALLER;
  let name: string | null = null;
  let group: RouteGroup | undefined;
  let apiPath = false;
  let heldMs: number | undefined;
  // The client hung up before the whole answer went out: nothing the server did wrong.
  let clientGone = false;
  res.once("close", () => {
    if (!res.writableFinished) clientGone = true;
  });
  const observer = req.headers[OBSERVER_HEADER] !== undefined;
  try {
    const url = new URL(req.url ?? "/", "http://simulator");
    // Also for a malformed caller prefix, so the request still counts as an API call.
    apiPath = url.pathname.includes(API_BASE_PATH);
    const resolved = resolveCaller(url.pathname, req.headers[CALLER_HEADER]);
    caller = resolved.caller;
    apiPath = resolved.pathname.startsWith(API_BASE_PATH);
    const match = deps.router.match(method, resolved.pathname);
    if (match === "method")
      throw new HttpError(405, "bad_request", `method ${method} not allowed on ${resolved.pathname}`);
    if (!match) throw new HttpError(404, "not_found", `no such endpoint: ${method} ${resolved.pathname}`);
    label = match.route.pattern;
    group = match.route.group;
    name = match.params.name ?? match.params.id ?? null;
    let bodyCache: Promise<unknown> | undefined;
    const body = () => {
      bodyCache ??= readJsonBody(req, deps.bodyLimitBytes);
      return bodyCache;
    };
    if (group !== "open") {
      const tokenKey = group !== "api" || deps.apiToken ? deps.auth.check(req) : "";
      if (group === "api" && !observer) {
        const partition = deps.faults.partitionOf(caller);
        if (partition) {
          deps.metrics.observePartitioned(caller);
          if (partition.mode === "reset") {
            resetConnection(req, res);
            outcome = "reset";
            status = 0;
            return;
          }
          // Read the body now: a held upload must not run into the server's request timeout.
          if (hasBody(req)) body().catch(() => {});
          const heldAt = performance.now();
          await holdUntilHealed(deps.faults, caller, partition, res);
          heldMs = Math.round(performance.now() - heldAt);
          if (clientGone) {
            outcome = "aborted";
            status = 0;
            return;
          }
        }
        try {
          deps.limiter.take(`${caller}\n${tokenKey}`);
        } catch (err) {
          deps.metrics.observeRateLimited(caller);
          throw err;
        }
        if (await applyApiFaults(deps.faults, req, res)) {
          outcome = "reset";
          status = 0;
          return;
        }
      }
    }
    const reply = await match.route.handler({ req, res, url, params: match.params, caller, body });
    if (reply) {
      status = reply.status;
      if (clientGone) outcome = "aborted";
      else send(res, reply);
    } else {
      status = res.statusCode;
    }
  } catch (err) {
    if (clientGone || req.socket?.destroyed || (err as NodeJS.ErrnoException).code === "ECONNRESET") {
      // Hung up while its body was read or while it waited: no answer was decided.
      outcome = "aborted";
      status = 0;
      return;
    }
    const e = err instanceof HttpError ? err : undefined;
    if (!e) deps.onError(err, `${method} ${label}`);
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
    const seconds = (performance.now() - started) / 1000;
    if (outcome === "aborted") {
      deps.metrics.observeAborted(label, method);
      deps.onDebug?.(
        `mesh simulator: ${method} ${label} from ${caller}: the client closed the connection before the answer (aborted)`,
      );
    } else if (outcome === "answered") {
      deps.metrics.observeRequest(label, method, status, seconds, observer);
    }
    // The request log and per-caller counters are the load of the clients under test on the
    // Patronus API, including calls to endpoints it does not serve (what the operator tried).
    if (!observer && (group === "api" || (group === undefined && apiPath))) {
      deps.metrics.observeCallerRequest(
        caller,
        label,
        method,
        outcome === "answered" ? String(status) : outcome,
      );
      deps.requests.record({
        atMs,
        caller,
        method,
        route: label,
        name,
        status,
        durationMs: Math.round(seconds * 1e6) / 1e3,
        outcome,
        ...(heldMs === undefined ? {} : { heldMs }),
      });
    }
  }
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers["content-length"] !== undefined
    ? req.headers["content-length"] !== "0"
    : req.headers["transfer-encoding"] !== undefined;
}

/** Holds a request of a partitioned caller until the partition heals or the client gives up. */
async function holdUntilHealed(
  faults: FaultEngine,
  caller: string,
  partition: Partition,
  res: ServerResponse,
): Promise<void> {
  if (partition.mode !== "blackhole") return;
  const wait = faults.waitForHeal(caller);
  let onClose: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    onClose = resolve;
    res.once("close", onClose);
  });
  try {
    await Promise.race([wait.healed, closed]);
  } finally {
    wait.cancel();
    res.off("close", onClose);
  }
}

/** An abrupt close with unread data makes the kernel send RST: what a crashed peer looks like. */
function resetConnection(req: IncomingMessage, res: ServerResponse): void {
  req.socket.resetAndDestroy();
  res.destroy();
}

/** Injected API faults; true when the request's connection was reset. */
async function applyApiFaults(
  faults: FaultEngine,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const now = Date.now();
  if (faults.takeReset(now)) {
    resetConnection(req, res);
    return true;
  }
  const api = faults.api;
  if (now < api.unavailableUntil) {
    const retryAfter = Math.max(1, Math.ceil((api.unavailableUntil - now) / 1000));
    throw new HttpError(503, "unavailable", "Patronus API unavailable (injected fault)", {
      headers: { "retry-after": String(retryAfter) },
    });
  }
  if (now < api.latencyUntil) await sleep(api.latencyMs);
  return false;
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

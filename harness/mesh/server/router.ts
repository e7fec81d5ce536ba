/** A small method+path router: `/sites/:name/routing` patterns, params by name, nothing else. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiError } from "../../../contract/patronus-api/v1.ts";

export class HttpError extends Error {
  override name = "HttpError";
  readonly status: number;
  readonly code: ApiError["code"];
  readonly field: string | undefined;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: ApiError["code"],
    message: string,
    options: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** Who called (see requests/caller.ts): "anonymous" when the request named no caller. */
  caller: string;
  /** The request body parsed as JSON (size-limited); undefined when empty. */
  body: () => Promise<unknown>;
}

/** A handler returns a Reply, or undefined when it wrote the response itself (SSE). */
export type Handler = (ctx: RequestContext) => Reply | undefined | Promise<Reply | undefined>;

export type RouteGroup = "api" | "faults" | "open";

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
  group: RouteGroup;
  /** The pattern, used as the metrics label (bounded cardinality). */
  pattern: string;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: Route[] = [];

  add(group: RouteGroup, method: string, pattern: string, handler: Handler): void {
    this.routes.push({ method, segments: pattern.split("/").filter(Boolean), handler, group, pattern });
  }

  /** A match, "method" when only the method is wrong (405), or undefined (404). */
  match(method: string, pathname: string): Match | "method" | undefined {
    const parts = pathname.split("/").filter(Boolean);
    let methodMismatch = false;
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = route.segments[i]!;
        const part = parts[i]!;
        if (seg.startsWith(":")) {
          try {
            params[seg.slice(1)] = decodeURIComponent(part);
          } catch {
            ok = false;
            break;
          }
        } else if (seg !== part) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (route.method !== method) {
        methodMismatch = true;
        continue;
      }
      return { route, params };
    }
    return methodMismatch ? "method" : undefined;
  }
}

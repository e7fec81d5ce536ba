/** GET /requests: the per-caller request log (control side: bearer token, not rate limited). */
import { parseOr400 } from "../api/routes.ts";
import type { Router } from "../server/router.ts";
import type { RequestLog } from "./log.ts";
import { REQUESTS_PATH, type RequestPage, RequestQuery } from "./schema.ts";

export function registerRequestRoutes(router: Router, log: RequestLog): void {
  router.add("faults", "GET", REQUESTS_PATH, (ctx) => {
    const q = parseOr400(RequestQuery, Object.fromEntries(ctx.url.searchParams));
    const requests = log.since(q.since, q.limit, q.caller);
    const body: RequestPage = {
      requests,
      // Fewer than `limit` means the log was read to its end (filtered or not).
      lastSeq: requests.length === q.limit ? requests.at(-1)!.seq : Math.max(q.since, log.lastSeq),
      firstSeq: log.firstSeq,
      dropped: log.dropped,
    };
    return { status: 200, body };
  });
}

/** Fault-injection routes (/faults/v1) and the event log (/events); same bearer token, no rate limit. */

import { z } from "zod";
import { parseOr400 } from "../api/routes.ts";
import { HttpError, type Router } from "../server/router.ts";
import type { Simulation } from "../simulation.ts";
import { FaultTargetError } from "./engine.ts";
import {
  ApiFaultRequest,
  DegradeRequest,
  type EventPage,
  FAULTS_BASE_PATH,
  FailRequest,
  FlapRequest,
  RestoreRequest,
} from "./schema.ts";

const EventQuery = z.strictObject({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  kinds: z.string().optional(),
});

function targetErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof FaultTargetError) {
      throw new HttpError(err.status, err.status === 404 ? "not_found" : "bad_request", err.message, {
        ...(err.status === 400 ? { field: "target" } : {}),
      });
    }
    throw err;
  }
}

export function registerFaultRoutes(router: Router, sim: Simulation): void {
  const add = (method: string, path: string, h: Parameters<Router["add"]>[3]) =>
    router.add("faults", method, `${FAULTS_BASE_PATH}${path}`, h);
  const f = sim.faults;

  add("GET", "/faults", () => ({ status: 200, body: { faults: f.list() } }));
  add("POST", "/fail", async (ctx) => {
    const req = parseOr400(FailRequest, await ctx.body());
    return { status: 201, body: targetErrors(() => f.fail(req)) };
  });
  add("POST", "/degrade", async (ctx) => {
    const req = parseOr400(DegradeRequest, await ctx.body());
    return { status: 201, body: targetErrors(() => f.degrade(req)) };
  });
  add("POST", "/flap", async (ctx) => {
    const req = parseOr400(FlapRequest, await ctx.body());
    return { status: 201, body: targetErrors(() => f.flap(req)) };
  });
  add("POST", "/api", async (ctx) => {
    const req = parseOr400(ApiFaultRequest, await ctx.body());
    return { status: 201, body: f.apiFault(req) };
  });
  add("POST", "/restore", async (ctx) => {
    const req = parseOr400(RestoreRequest, await ctx.body());
    return { status: 200, body: { cleared: f.restore(req.target) } };
  });
  add("DELETE", "/faults/:id", (ctx) => {
    const id = ctx.params.id ?? "";
    if (!f.clear(id, "removed")) throw new HttpError(404, "not_found", `fault ${id} is not active`);
    return { status: 204 };
  });
  add("POST", "/clear", () => ({ status: 200, body: { cleared: f.clearAll() } }));

  router.add("faults", "GET", "/events", (ctx) => {
    const q = parseOr400(EventQuery, Object.fromEntries(ctx.url.searchParams));
    const kinds = q.kinds ? new Set(q.kinds.split(",").filter(Boolean)) : undefined;
    const events = sim.events.since(q.since, q.limit, kinds);
    const body: EventPage = {
      events,
      // Fewer than `limit` means the log was read to its end (filtered or not).
      lastSeq: events.length === q.limit ? events.at(-1)!.seq : Math.max(q.since, sim.events.lastSeq),
      firstSeq: sim.events.firstSeq,
    };
    return { status: 200, body };
  });
}

/**
 * The fault API and event log as the shard router serves them. Link-level faults (fail, degrade,
 * flap) go to every shard: each knows every site's links and models the tunnels its own sites
 * use, so a site's, hub's or region's failure reaches every tunnel over it. The client gets one
 * fault with a router id (affectedTunnels summed, injectedAt the earliest shard's). Patronus API
 * faults act on the router itself, the front the operator talks to.
 */
import { z } from "zod";
import { parseOr400 } from "../api/routes.ts";
import type { FaultEngine } from "../faults/engine.ts";
import {
  ApiFaultRequest,
  DegradeRequest,
  FAULTS_BASE_PATH,
  FailRequest,
  Fault,
  FaultList,
  type FaultTarget,
  FlapRequest,
  RestoreRequest,
  RestoreResult,
} from "../faults/schema.ts";
import { HttpError, type Router } from "../server/router.ts";
import type { ShardRouterState } from "./state.ts";
import { passOn, type UpstreamReply } from "./upstream.ts";

const EventQuery = z.strictObject({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  kinds: z.string().optional(),
});

export function registerRouterFaultRoutes(router: Router, s: ShardRouterState, local: FaultEngine): void {
  const add = (method: string, path: string, h: Parameters<Router["add"]>[3]) =>
    router.add("faults", method, `${FAULTS_BASE_PATH}${path}`, h);
  const F = FAULTS_BASE_PATH;

  const recordCleared = (id: string, reason: string) => {
    const fan = s.faults.get(id);
    if (!fan || fan.value.cleared) return;
    fan.value.cleared = true;
    s.events.log.record("fault.cleared", { id, kind: fan.value.kind, target: fan.value.target, reason });
  };
  /** Router ids of shard fault ids a shard reported cleared. */
  const routerIds = (replies: readonly UpstreamReply[]) => {
    const ids = new Set<string>();
    replies.forEach((r, shard) => {
      for (const partId of RestoreResult.parse(r.body).cleared)
        ids.add(s.faults.idOfPart(shard, partId) ?? partId);
    });
    return [...ids];
  };

  const fanOut = (path: string, body: unknown, target: FaultTarget) =>
    s.events.exclusive(async () => {
      const replies = await Promise.all(s.replicas.map((r) => r.call("POST", `${F}${path}`, body)));
      const placed = replies.flatMap((r, shard) =>
        r.status === 201 ? [{ shard, fault: Fault.parse(r.body) }] : [],
      );
      const refused = replies.find((r) => r.status !== 201 && r.status !== 404);
      if (refused || placed.length === 0) {
        // Shards agree on what they know, so this is all-or-nothing; undo a partial placement anyway.
        await Promise.all(
          placed.map((p) => s.replicas[p.shard]!.call("DELETE", `${F}/faults/${p.fault.id}`)),
        );
        throw passOn(refused ?? replies[0]!);
      }
      const first = placed[0]!.fault;
      const id = s.nextFaultId();
      const injectedAt = placed.map((p) => p.fault.injectedAt).sort()[0]!;
      const fault: Fault = {
        ...first,
        id,
        injectedAt,
        affectedTunnels: placed.reduce((n, p) => n + p.fault.affectedTunnels, 0),
      };
      s.faults.set(
        id,
        placed.map((p) => ({ shard: p.shard, id: p.fault.id })),
        { cleared: false, kind: fault.kind, target },
      );
      s.events.log.record(
        "fault.injected",
        { id, kind: fault.kind, target, params: fault.params, affectedTunnels: fault.affectedTunnels },
        Date.parse(injectedAt),
      );
      return { status: 201, body: fault };
    });

  add("POST", "/fail", async (ctx) => {
    const req = parseOr400(FailRequest, await ctx.body());
    return fanOut("/fail", req, req.target);
  });
  add("POST", "/degrade", async (ctx) => {
    const req = parseOr400(DegradeRequest, await ctx.body());
    return fanOut("/degrade", req, req.target);
  });
  add("POST", "/flap", async (ctx) => {
    const req = parseOr400(FlapRequest, await ctx.body());
    return fanOut("/flap", req, req.target);
  });
  add("POST", "/api", async (ctx) => {
    const req = parseOr400(ApiFaultRequest, await ctx.body());
    return { status: 201, body: local.apiFault(req) };
  });
  add("GET", "/faults", async () => {
    const lists = await Promise.all(s.replicas.map((r) => r.expect("GET", `${F}/faults`, undefined, [200])));
    const merged = new Map<string, Fault>();
    lists.forEach((r, shard) => {
      for (const f of FaultList.parse(r.body).faults) {
        const id = s.faults.idOfPart(shard, f.id) ?? f.id;
        const seen = merged.get(id);
        if (seen) seen.affectedTunnels += f.affectedTunnels;
        else merged.set(id, { ...f, id });
      }
    });
    return { status: 200, body: { faults: [...local.list(), ...merged.values()] } };
  });
  add("POST", "/restore", async (ctx) => {
    const req = parseOr400(RestoreRequest, await ctx.body());
    return s.events.exclusive(async () => {
      const replies = await Promise.all(s.replicas.map((r) => r.expect("POST", `${F}/restore`, req, [200])));
      const ids = routerIds(replies);
      for (const id of ids) recordCleared(id, "restored");
      return { status: 200, body: { cleared: [...local.restore(req.target), ...ids] } };
    });
  });
  add("DELETE", "/faults/:id", (ctx) => {
    const id = ctx.params.id ?? "";
    if (local.clear(id, "removed")) return { status: 204 };
    const fan = s.faults.get(id);
    if (!fan || fan.value.cleared) throw new HttpError(404, "not_found", `fault ${id} is not active`);
    return s.events.exclusive(async () => {
      const replies = await Promise.all(
        fan.parts.map((p) =>
          s.replicas[p.shard]!.expect("DELETE", `${F}/faults/${p.id}`, undefined, [204, 404]),
        ),
      );
      if (replies.every((r) => r.status === 404))
        throw new HttpError(404, "not_found", `fault ${id} is not active`);
      recordCleared(id, "removed");
      return { status: 204 };
    });
  });
  add("POST", "/clear", () =>
    s.events.exclusive(async () => {
      const mine = local.clearAll();
      const replies = await Promise.all(
        s.replicas.map((r) => r.expect("POST", `${F}/clear`, undefined, [200])),
      );
      const ids = routerIds(replies);
      for (const id of ids) recordCleared(id, "removed");
      return { status: 200, body: { cleared: [...mine, ...ids] } };
    }),
  );

  router.add("faults", "GET", "/events", async (ctx) => {
    const q = parseOr400(EventQuery, Object.fromEntries(ctx.url.searchParams));
    const kinds = q.kinds ? new Set(q.kinds.split(",").filter(Boolean)) : undefined;
    return { status: 200, body: await s.events.page(q.since, q.limit, kinds) };
  });
}

/**
 * The Patronus API as the shard router serves it: same paths, schemas and errors as one
 * simulator (inputs are validated here with the contract's schemas, so a 400 names the same
 * field). Per-site calls go to the owning shard; the site list, policies, operations spanning
 * shards, mesh tunnel programs and telemetry are assembled from all of them.
 */
import { z } from "zod";
import {
  API_BASE_PATH,
  type Operation,
  PolicySpec,
  RegisterSiteRequest,
  RoutingConfig,
  type Site,
  type SiteList,
  type Tunnel,
  type TunnelSetStatus,
  UpdateSiteRequest,
} from "../../../contract/patronus-api/v1.ts";
import { nameParam, notFound, parseOr400, parseTunnelSet } from "../api/routes.ts";
import { PolicyStore } from "../control/policies.ts";
import { HttpError, type Reply, type Router } from "../server/router.ts";
import { MissingSites, SHARD_BASE_PATH } from "../shard/schema.ts";
import { parseShardOperationId, shardOperationId } from "./ids.ts";
import { combineOperations } from "./operations.ts";
import type { ShardRouterState } from "./state.ts";
import { passOn } from "./upstream.ts";

const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continue: z.string().min(1).optional(),
});

const reply = (status: number, body?: unknown): Reply => (body === undefined ? { status } : { status, body });

export function registerRouterApiRoutes(router: Router, s: ShardRouterState): void {
  const add = (method: string, path: string, h: Parameters<Router["add"]>[3]) =>
    router.add("api", method, `${API_BASE_PATH}${path}`, h);
  const policies = new PolicyStore();
  const owner = (site: string) => s.replicas[s.shards.ownerOf(site)]!;
  const others = (site: string) => s.replicas.filter((r) => r.index !== s.shards.ownerOf(site));
  const forward = async (site: string, caller: string, method: string, path: string, body?: unknown) => {
    const r = await owner(site).call(method, `${API_BASE_PATH}${path}`, body, caller);
    if (r.status >= 400) throw passOn(r);
    return r;
  };
  /** The owner registered or changed the site: the other shards learn its links. */
  const tellPeers = async (site: Site) => {
    await Promise.all(
      others(site.name).map((r) =>
        r.expect("PUT", `${SHARD_BASE_PATH}/peers/${site.name}`, site.spec, [204]),
      ),
    );
  };

  add("POST", "/sites", async (ctx) => {
    const req = parseOr400(RegisterSiteRequest, await ctx.body());
    const r = await forward(req.name, ctx.caller, "POST", "/sites", req);
    // Also on 200: a client retrying after a failed first answer must still leave every shard told.
    await tellPeers(r.body as Site);
    return reply(r.status, r.body);
  });
  add("GET", "/sites", async (ctx) => {
    const q = parseOr400(ListQuery, Object.fromEntries(ctx.url.searchParams));
    const query = new URLSearchParams({
      limit: String(q.limit),
      ...(q.continue ? { continue: q.continue } : {}),
    });
    const pages = await Promise.all(
      s.replicas.map(async (r) => {
        const res = await r.call("GET", `${API_BASE_PATH}/sites?${query}`);
        if (res.status >= 400) throw passOn(res);
        return res.body as SiteList;
      }),
    );
    // Every shard pages by name after the same token (the last name), so the merge is exact.
    const all = pages
      .flatMap((p) => p.items)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const items = all.slice(0, q.limit);
    const more = all.length > q.limit || pages.some((p) => p.continue !== undefined);
    const last = items.at(-1);
    const body: SiteList =
      more && last ? { items, continue: Buffer.from(last.name).toString("base64url") } : { items };
    return reply(200, body);
  });
  add("GET", "/sites/:name", async (ctx) => {
    const name = nameParam(ctx);
    const r = await forward(name, ctx.caller, "GET", `/sites/${name}`);
    return reply(r.status, r.body);
  });
  add("PUT", "/sites/:name", async (ctx) => {
    const name = nameParam(ctx);
    const spec = parseOr400(UpdateSiteRequest, await ctx.body());
    const r = await forward(name, ctx.caller, "PUT", `/sites/${name}`, spec);
    await tellPeers(r.body as Site);
    return reply(r.status, r.body);
  });
  add("DELETE", "/sites/:name", async (ctx) => {
    const name = nameParam(ctx);
    const r = await forward(name, ctx.caller, "DELETE", `/sites/${name}`);
    await Promise.all(others(name).map((o) => o.call("DELETE", `${SHARD_BASE_PATH}/peers/${name}`)));
    return reply(r.status);
  });
  add("PUT", "/sites/:name/routing", async (ctx) => {
    const name = nameParam(ctx);
    const config = parseOr400(RoutingConfig, await ctx.body());
    const shard = s.shards.ownerOf(name);
    const r = await forward(name, ctx.caller, "PUT", `/sites/${name}/routing`, config);
    const op = r.body as Operation;
    return reply(r.status, { ...op, id: shardOperationId(shard, op.id) });
  });
  add("GET", "/sites/:name/routing", async (ctx) => {
    const name = nameParam(ctx);
    const shard = s.shards.ownerOf(name);
    const r = await forward(name, ctx.caller, "GET", `/sites/${name}/routing`);
    const body = r.body as { operationId?: string };
    if (body.operationId) body.operationId = shardOperationId(shard, body.operationId);
    return reply(r.status, body);
  });

  // Policies live in the router (the shards only apply their part of one).
  add("GET", "/policies/:name", (ctx) => {
    const name = nameParam(ctx);
    const policy = policies.get(name);
    if (!policy) throw notFound(`policy ${name} does not exist`);
    return reply(200, policy);
  });
  add("PUT", "/policies/:name", async (ctx) => {
    const name = nameParam(ctx);
    const spec = parseOr400(PolicySpec, await ctx.body());
    return reply(200, policies.put(name, spec).policy);
  });
  add("DELETE", "/policies/:name", (ctx) => {
    const name = nameParam(ctx);
    if (!policies.delete(name)) throw notFound(`policy ${name} does not exist`);
    return reply(204);
  });
  add("POST", "/policies/:name/apply", async (ctx) => {
    const name = nameParam(ctx);
    const policy = policies.get(name);
    if (!policy) throw notFound(`policy ${name} does not exist`);
    const sites = [...new Set(policy.spec.sites)];
    const byShard = new Map<number, string[]>();
    for (const site of sites) {
      const i = s.shards.ownerOf(site);
      byShard.set(i, [...(byShard.get(i) ?? []), site]);
    }
    const shards = [...byShard.entries()];
    const missing = new Set<string>();
    await Promise.all(
      shards.map(async ([i, list]) => {
        const r = await s.replicas[i]!.expect(
          "POST",
          `${SHARD_BASE_PATH}/unregistered`,
          { sites: list },
          [200],
        );
        for (const m of MissingSites.parse(r.body).missing) missing.add(m);
      }),
    );
    if (missing.size > 0) {
      const names = policy.spec.sites.filter((x) => missing.has(x));
      throw new HttpError(
        409,
        "conflict",
        `policy ${name} names ${names.length} unregistered site(s): ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}`,
      );
    }
    const submittedAt = new Date().toISOString();
    const parts = await Promise.all(
      shards.map(async ([i, list]) => {
        const r = await s.replicas[i]!.expect(
          "POST",
          `${SHARD_BASE_PATH}/apply`,
          { policy: name, sites: list },
          [202],
        );
        return { shard: i, id: (r.body as Operation).id };
      }),
    );
    const id = s.nextOperationId();
    s.operations.set(id, parts, {
      partsConverged: 0,
      parts: parts.length,
      target: name,
      sites,
      submittedAt,
    });
    const op: Operation = {
      id,
      kind: "policy-apply",
      target: name,
      state: "Pending",
      submittedAt,
      sites: sites.map((site) => ({ site })),
    };
    if (parts.length === 0) {
      Object.assign(op, { state: "Applied", convergedAt: submittedAt });
      s.events.log.record("operation.converged", {
        operationId: id,
        kind: op.kind,
        target: name,
        sites: 0,
        submittedAt,
      });
    }
    return reply(202, op);
  });
  add("GET", "/operations/:id", async (ctx) => {
    const id = ctx.params.id ?? "";
    const gone = () => notFound(`operation ${id} does not exist (or was evicted)`);
    const single = parseShardOperationId(id);
    if (single && s.replicas[single.shard]) {
      const r = await s.replicas[single.shard]!.call(
        "GET",
        `${API_BASE_PATH}/operations/${encodeURIComponent(single.id)}`,
      );
      if (r.status === 404) throw gone();
      if (r.status >= 400) throw passOn(r);
      return reply(200, { ...(r.body as Operation), id });
    }
    const fan = s.operations.get(id);
    if (!fan) throw gone();
    const parts = await Promise.all(
      fan.parts.map(async (p) => {
        const r = await s.replicas[p.shard]!.call(
          "GET",
          `${API_BASE_PATH}/operations/${encodeURIComponent(p.id)}`,
        );
        if (r.status === 404) throw gone();
        if (r.status >= 400) throw passOn(r);
        return r.body as Operation;
      }),
    );
    return reply(200, combineOperations(id, fan.value, parts));
  });

  add("PUT", "/meshes/:name/tunnels", async (ctx) => {
    const name = nameParam(ctx);
    const set = parseTunnelSet(await ctx.body());
    const perShard: Tunnel[][] = s.replicas.map(() => []);
    for (const t of set.tunnels) {
      // Both ends' shards model it: the first site's streams it, the other's routes over it.
      const a = s.shards.ownerOf(t.siteA);
      const b = s.shards.ownerOf(t.siteB);
      perShard[a]!.push(t);
      if (b !== a) perShard[b]!.push(t);
    }
    const statuses = await Promise.all(
      s.replicas.map(async (r) => {
        const res = await r.expect(
          "PUT",
          `${API_BASE_PATH}/meshes/${name}/tunnels`,
          { tunnels: perShard[r.index] },
          [200],
        );
        return res.body as TunnelSetStatus;
      }),
    );
    const before = s.meshes.get(name) ?? new Map<string, Tunnel>();
    const after = new Map(set.tunnels.map((t) => [t.id, t]));
    const added = [...after.keys()].filter((k) => !before.has(k)).length;
    const removed = [...before.keys()].filter((k) => !after.has(k)).length;
    if (after.size === 0) s.meshes.delete(name);
    else s.meshes.set(name, after);
    const modeled = statuses.reduce((sum, st) => sum + st.modeled, 0);
    const body: TunnelSetStatus = { mesh: name, tunnels: after.size, added, removed, modeled };
    s.events.log.record("mesh.programmed", { mesh: name, added, removed, total: after.size, modeled });
    return reply(200, body);
  });
  add("GET", "/meshes/:name/tunnels", (ctx) => {
    const name = nameParam(ctx);
    const tunnels = s.meshes.get(name);
    if (!tunnels) throw notFound(`mesh ${name} has no programmed tunnels`);
    return reply(200, { tunnels: [...tunnels.values()] });
  });
  add("DELETE", "/meshes/:name/tunnels", async (ctx) => {
    const name = nameParam(ctx);
    if (!s.meshes.has(name)) throw notFound(`mesh ${name} has no programmed tunnels`);
    await Promise.all(
      s.replicas.map((r) =>
        r.expect("DELETE", `${API_BASE_PATH}/meshes/${name}/tunnels`, undefined, [204, 404]),
      ),
    );
    s.meshes.delete(name);
    return reply(204);
  });
}

/**
 * The patronus-rs dialect as the shard router serves it: a site's PUT and DELETE go to its owning
 * shard with the caller passed on (the owner keeps the body and models the world's site of that
 * name), and the other shards learn the site's world links so tunnels across shards are modelled.
 * Policies are kept here. GET /received merges the shards' sites with the router's policies.
 */
import { API_BASE_PATH } from "../../../contract/patronus-api/v1.ts";
import {
  RECEIVED_PATH,
  type ReceivedState,
  ReceivedState as ReceivedStateSchema,
  type RsPolicy,
  RsPolicyBody,
} from "../api/patronus-rs.ts";
import { parseRsSite, rsNameParam } from "../api/patronus-rs-routes.ts";
import { notFound, parseOr400 } from "../api/routes.ts";
import { ReceivedStore } from "../control/received.ts";
import type { World } from "../model/world.ts";
import type { Reply, Router } from "../server/router.ts";
import { SHARD_BASE_PATH } from "../shard/schema.ts";
import type { ShardRouterState } from "./state.ts";
import { passOn } from "./upstream.ts";

const reply = (status: number, body?: unknown): Reply => (body === undefined ? { status } : { status, body });

export function registerRouterPatronusRsRoutes(router: Router, s: ShardRouterState, world: World): void {
  const add = (method: string, path: string, h: Parameters<Router["add"]>[3]) =>
    router.add("api", method, `${API_BASE_PATH}${path}`, h);
  const policies = new ReceivedStore();
  const worldSites = new Map(world.sites.map((site) => [site.name, site]));
  const owner = (site: string) => s.replicas[s.shards.ownerOf(site)]!;
  const others = (site: string) => s.replicas.filter((r) => r.index !== s.shards.ownerOf(site));

  add("PUT", "/sites/:name", async (ctx) => {
    const name = rsNameParam(ctx);
    const site = parseRsSite(name, await ctx.body());
    const r = await owner(name).call("PUT", `${API_BASE_PATH}/sites/${name}`, site, ctx.caller);
    if (r.status >= 400) throw passOn(r);
    const known = worldSites.get(name);
    if (r.status === 201 && known) {
      const spec = { region: known.region, hub: known.hub, links: known.links };
      await Promise.all(
        others(name).map((o) => o.expect("PUT", `${SHARD_BASE_PATH}/peers/${name}`, spec, [204])),
      );
    }
    return reply(r.status, r.body);
  });
  add("DELETE", "/sites/:name", async (ctx) => {
    const name = rsNameParam(ctx);
    const r = await owner(name).call("DELETE", `${API_BASE_PATH}/sites/${name}`, undefined, ctx.caller);
    if (r.status >= 400) throw passOn(r);
    if (worldSites.has(name))
      await Promise.all(others(name).map((o) => o.call("DELETE", `${SHARD_BASE_PATH}/peers/${name}`)));
    return reply(r.status);
  });
  add("PUT", "/policies/:name", async (ctx) => {
    const name = rsNameParam(ctx);
    const policy = parseOr400(RsPolicyBody, await ctx.body());
    const { object, created } = policies.put("policy", name, policy, ctx.caller);
    const body: RsPolicy = {
      ...policy,
      name,
      revision: object.revision,
      updatedAt: new Date(object.updatedAtMs).toISOString(),
    };
    return reply(created ? 201 : 200, body);
  });
  add("DELETE", "/policies/:name", (ctx) => {
    const name = rsNameParam(ctx);
    if (!policies.delete("policy", name, ctx.caller)) throw notFound(`policy ${name} does not exist`);
    return reply(204);
  });

  router.add("faults", "GET", RECEIVED_PATH, async () => {
    const parts = await Promise.all(
      s.replicas.map(async (r) =>
        ReceivedStateSchema.parse((await r.expect("GET", RECEIVED_PATH, undefined, [200])).body),
      ),
    );
    const byName = (a: { name: string }, b: { name: string }) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    const body: ReceivedState = {
      dialect: "patronus-rs",
      sites: parts.flatMap((p) => p.sites).sort(byName),
      policies: policies.list("policy"),
      deletions: [
        ...parts.flatMap((p) => p.deletions.filter((d) => d.kind === "site")),
        ...policies.deletions(),
      ].sort((a, b) => a.atMs - b.atMs),
    };
    return reply(200, body);
  });
}

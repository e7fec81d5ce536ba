/** The replica side of sharding (see schema.ts): routes the shard router calls on each replica. */
import { Name } from "../../../contract/patronus-api/v1.ts";
import { parseOr400 } from "../api/routes.ts";
import { HttpError, type Router } from "../server/router.ts";
import type { Simulation } from "../simulation.ts";
import { PeerSite, SHARD_BASE_PATH, ShardApply, SiteNames } from "./schema.ts";

export function registerShardRoutes(router: Router, sim: Simulation): void {
  const add = (method: string, path: string, h: Parameters<Router["add"]>[3]) =>
    router.add("faults", method, `${SHARD_BASE_PATH}${path}`, h);

  add("PUT", "/peers/:name", async (ctx) => {
    const name = parseOr400(Name, ctx.params.name, "name");
    const spec = parseOr400(PeerSite, await ctx.body());
    sim.upsertPeer({ name, ...spec });
    return { status: 204 };
  });
  add("DELETE", "/peers/:name", (ctx) => {
    const name = parseOr400(Name, ctx.params.name, "name");
    if (!sim.removePeer(name)) throw new HttpError(404, "not_found", `site ${name} is not a known peer`);
    return { status: 204 };
  });
  add("POST", "/unregistered", async (ctx) => {
    const { sites } = parseOr400(SiteNames, await ctx.body());
    return { status: 200, body: { missing: sites.filter((s) => !sim.sites.get(s)) } };
  });
  add("POST", "/apply", async (ctx) => {
    const req = parseOr400(ShardApply, await ctx.body());
    const missing = req.sites.filter((s) => !sim.sites.get(s));
    if (missing.length > 0)
      throw new HttpError(
        409,
        "conflict",
        `unregistered site(s) at this shard: ${missing.slice(0, 5).join(", ")}`,
      );
    const op = sim.operations.submit("policy-apply", req.policy, [...new Set(req.sites)], () => {});
    return { status: 202, body: op };
  });
}

/**
 * The patronus-rs dialect's routes (see patronus-rs.ts for the contract): PUT/DELETE of sites and
 * policies under /api/v1, and GET /received on the control side. A site's PUT and DELETE move
 * the world's site of that name in and out of the model, as a registration and a deregistration
 * do in the reference dialect, so faults, topology and telemetry follow.
 */

import { API_BASE_PATH } from "../../../contract/patronus-api/v1.ts";
import { HttpError, type RequestContext, type Router } from "../server/router.ts";
import type { Simulation } from "../simulation.ts";
import {
  ObjectName,
  RECEIVED_PATH,
  type ReceivedState,
  type RsPolicy,
  RsPolicyBody,
  type RsSite,
  RsSiteBody,
} from "./patronus-rs.ts";
import { notFound, parseOr400 } from "./routes.ts";

export function rsNameParam(ctx: RequestContext): string {
  return parseOr400(ObjectName, ctx.params.name, "name");
}

/** The body's `name` must be the path's, as a create-or-replace by name requires. */
export function parseRsSite(name: string, body: unknown): RsSiteBody {
  const site = parseOr400(RsSiteBody, body);
  if (site.name !== name) {
    throw new HttpError(400, "bad_request", `name: body names site ${site.name}, the path ${name}`, {
      field: "name",
    });
  }
  return site;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function registerPatronusRsRoutes(router: Router, sim: Simulation): void {
  const add = (method: string, path: string, h: Parameters<Router["add"]>[3]) =>
    router.add("api", method, `${API_BASE_PATH}${path}`, h);
  const received = sim.received;

  add("PUT", "/sites/:name", async (ctx) => {
    const name = rsNameParam(ctx);
    const site = parseRsSite(name, await ctx.body());
    const { object, created, changed } = received.put("site", name, site, ctx.caller);
    if (created) {
      if (!sim.joinWorldSite(name))
        sim.events.record("site.registered", { site: name, revision: object.revision, modeled: false });
    } else if (changed) {
      sim.events.record("site.updated", { site: name, revision: object.revision });
    }
    const body: RsSite = { ...site, revision: object.revision, updatedAt: iso(object.updatedAtMs) };
    return { status: created ? 201 : 200, body };
  });
  add("DELETE", "/sites/:name", (ctx) => {
    const name = rsNameParam(ctx);
    if (!received.delete("site", name, ctx.caller)) throw notFound(`site ${name} is not registered`);
    if (!sim.sites.deregister(name)) sim.events.record("site.deregistered", { site: name, revision: null });
    return { status: 204 };
  });
  add("PUT", "/policies/:name", async (ctx) => {
    const name = rsNameParam(ctx);
    const policy = parseOr400(RsPolicyBody, await ctx.body());
    const { object, created } = received.put("policy", name, policy, ctx.caller);
    const body: RsPolicy = { ...policy, name, revision: object.revision, updatedAt: iso(object.updatedAtMs) };
    return { status: created ? 201 : 200, body };
  });
  add("DELETE", "/policies/:name", (ctx) => {
    const name = rsNameParam(ctx);
    if (!received.delete("policy", name, ctx.caller)) throw notFound(`policy ${name} does not exist`);
    return { status: 204 };
  });

  router.add("faults", "GET", RECEIVED_PATH, () => {
    const body: ReceivedState = {
      dialect: "patronus-rs",
      sites: received.list("site"),
      policies: received.list("policy"),
      deletions: received.deletions(),
    };
    return { status: 200, body };
  });
}

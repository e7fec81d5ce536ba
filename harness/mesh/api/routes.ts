/** The Patronus API routes (base /api/v1), exactly as contract/patronus-api/v1.ts documents them. */
import { z } from "zod";
import {
  API_BASE_PATH,
  Name,
  PolicySpec,
  RegisterSiteRequest,
  RoutingConfig,
  type SiteRouting,
  TunnelSet,
  type TunnelSetStatus,
  tunnelId,
  UpdateSiteRequest,
} from "../../../contract/patronus-api/v1.ts";
import { ApiConflict } from "../control/sites.ts";
import { HttpError, type RequestContext, type Router } from "../server/router.ts";
import type { Simulation } from "../simulation.ts";
import { handleTelemetryStream, type TelemetrySource } from "../telemetry/stream.ts";
import { describeZodError } from "./validation.ts";

export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, prefix = ""): z.output<T> {
  if (value === undefined) throw new HttpError(400, "bad_request", "request body is required");
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const { field, message } = describeZodError(r.error);
  const at = prefix ? (field === "(root)" ? prefix : `${prefix}.${field}`) : field;
  throw new HttpError(400, "bad_request", `${at}: ${message}`, { field: at });
}

export function nameParam(ctx: RequestContext, key = "name"): string {
  return parseOr400(Name, ctx.params[key], key);
}

const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continue: z.string().min(1).optional(),
});

export function notFound(what: string): HttpError {
  return new HttpError(404, "not_found", what);
}

export function registerApiRoutes(router: Router, sim: Simulation): void {
  const p = (path: string) => `${API_BASE_PATH}${path}`;
  const add = (method: string, path: string, h: Parameters<Router["add"]>[3]) =>
    router.add("api", method, p(path), h);

  add("POST", "/sites", async (ctx) => {
    const req = parseOr400(RegisterSiteRequest, await ctx.body());
    try {
      const { site, created } = sim.sites.register(req);
      return { status: created ? 201 : 200, body: site };
    } catch (err) {
      if (err instanceof ApiConflict) throw new HttpError(409, "conflict", err.message);
      throw err;
    }
  });
  add("GET", "/sites", (ctx) => {
    const q = parseOr400(ListQuery, Object.fromEntries(ctx.url.searchParams));
    const page = sim.sites.list(q.limit, q.continue);
    if (!page)
      throw new HttpError(400, "bad_request", "continue: not a token from a previous page", {
        field: "continue",
      });
    return { status: 200, body: page };
  });
  add("GET", "/sites/:name", (ctx) => {
    const name = nameParam(ctx);
    const site = sim.sites.get(name);
    if (!site) throw notFound(`site ${name} is not registered`);
    return { status: 200, body: site };
  });
  add("PUT", "/sites/:name", async (ctx) => {
    const name = nameParam(ctx);
    const spec = parseOr400(UpdateSiteRequest, await ctx.body());
    const site = sim.sites.update(name, spec);
    if (!site) throw notFound(`site ${name} is not registered`);
    return { status: 200, body: site };
  });
  add("DELETE", "/sites/:name", (ctx) => {
    const name = nameParam(ctx);
    if (!sim.sites.deregister(name)) throw notFound(`site ${name} is not registered`);
    return { status: 204 };
  });
  add("PUT", "/sites/:name/routing", async (ctx) => {
    const name = nameParam(ctx);
    const config = parseOr400(RoutingConfig, await ctx.body());
    if (!sim.sites.get(name)) throw notFound(`site ${name} is not registered`);
    checkRoutingConfig(name, config);
    return { status: 202, body: sim.pushRouting(name, config) };
  });
  add("GET", "/sites/:name/routing", (ctx) => {
    const name = nameParam(ctx);
    if (!sim.sites.get(name)) throw notFound(`site ${name} is not registered`);
    const applied = sim.routing.get(name);
    const body: SiteRouting = applied
      ? {
          site: name,
          classes: applied.classes,
          operationId: applied.operationId,
          appliedAt: applied.appliedAt,
        }
      : { site: name, classes: [] };
    return { status: 200, body };
  });

  add("GET", "/policies/:name", (ctx) => {
    const name = nameParam(ctx);
    const policy = sim.policies.get(name);
    if (!policy) throw notFound(`policy ${name} does not exist`);
    return { status: 200, body: policy };
  });
  add("PUT", "/policies/:name", async (ctx) => {
    const name = nameParam(ctx);
    const spec = parseOr400(PolicySpec, await ctx.body());
    return { status: 200, body: sim.policies.put(name, spec).policy };
  });
  add("DELETE", "/policies/:name", (ctx) => {
    const name = nameParam(ctx);
    if (!sim.policies.delete(name)) throw notFound(`policy ${name} does not exist`);
    return { status: 204 };
  });
  add("POST", "/policies/:name/apply", (ctx) => {
    const name = nameParam(ctx);
    const policy = sim.policies.get(name);
    if (!policy) throw notFound(`policy ${name} does not exist`);
    const missing = policy.spec.sites.filter((s) => !sim.sites.get(s));
    if (missing.length > 0) {
      throw new HttpError(
        409,
        "conflict",
        `policy ${name} names ${missing.length} unregistered site(s): ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}`,
      );
    }
    const op = sim.operations.submit("policy-apply", name, [...new Set(policy.spec.sites)], () => {});
    return { status: 202, body: op };
  });
  add("GET", "/operations/:id", (ctx) => {
    const id = ctx.params.id ?? "";
    const op = sim.operations.get(id);
    if (!op) throw notFound(`operation ${id} does not exist (or was evicted)`);
    return { status: 200, body: op };
  });

  add("PUT", "/meshes/:name/tunnels", async (ctx) => {
    const name = nameParam(ctx);
    const set = parseTunnelSet(await ctx.body());
    const result = sim.meshes.program(name, set.tunnels);
    sim.faults.recompute();
    sim.events.record("mesh.programmed", { mesh: name, ...result, modeled: sim.tunnels.modeledSize });
    const body: TunnelSetStatus = {
      mesh: name,
      tunnels: result.total,
      added: result.added,
      removed: result.removed,
      modeled: sim.tunnels.modeledSize,
    };
    return { status: 200, body };
  });
  add("GET", "/meshes/:name/tunnels", (ctx) => {
    const name = nameParam(ctx);
    const tunnels = sim.meshes.get(name);
    if (!tunnels) throw notFound(`mesh ${name} has no programmed tunnels`);
    return { status: 200, body: { tunnels } };
  });
  add("DELETE", "/meshes/:name/tunnels", (ctx) => {
    const name = nameParam(ctx);
    if (!sim.meshes.remove(name)) throw notFound(`mesh ${name} has no programmed tunnels`);
    sim.engine.requestEvaluation();
    return { status: 204 };
  });
}

/**
 * The telemetry snapshot and stream, served in every dialect: the reference operator reads them,
 * and they are how the harness and the shard router see the modelled tunnels whatever the
 * operator under test calls.
 */
export function registerTelemetryRoutes(router: Router, source: TelemetrySource): void {
  router.add("api", "GET", `${API_BASE_PATH}/telemetry/snapshot`, () => ({
    status: 200,
    body: source.snapshot(),
  }));
  router.add("api", "GET", `${API_BASE_PATH}/telemetry/stream`, (ctx) => handleTelemetryStream(ctx, source));
}

export function telemetrySourceOf(sim: Simulation): TelemetrySource {
  return {
    publisher: sim.publisher,
    snapshot: () => sim.engine.snapshot(),
    events: sim.events,
    keepaliveMs: sim.options.keepaliveMs,
    streamRefusedUntil: () => sim.faults.api.streamRefusedUntil,
  };
}

/** A TunnelSet body checked against the tunnelId rule and for duplicates (400 naming the index). */
export function parseTunnelSet(body: unknown): TunnelSet {
  const set = parseOr400(TunnelSet, body);
  const ids = new Set<string>();
  set.tunnels.forEach((t, i) => {
    const expected = tunnelId(t.siteA, t.linkA, t.siteB, t.linkB);
    if (t.id !== expected || t.siteA >= t.siteB) {
      throw bad(`tunnels[${i}].id`, `must be ${expected} with siteA < siteB (the tunnelId rule)`);
    }
    if (ids.has(t.id)) throw bad(`tunnels[${i}].id`, `tunnel ${t.id} appears twice`);
    ids.add(t.id);
  });
  return set;
}

/** Checks a routing config against the site it is pushed to (duplicate classes, foreign tunnels). */
export function checkRoutingConfig(name: string, config: RoutingConfig): void {
  config.classes.forEach((c, i) => {
    const seen = config.classes.findIndex((o) => o.class === c.class);
    if (seen !== i) throw bad(`classes[${i}].class`, `class ${c.class} appears twice`);
    checkTunnelOfSite(name, c.activeTunnel, `classes[${i}].activeTunnel`);
    c.backups.forEach((b, j) => {
      checkTunnelOfSite(name, b, `classes[${i}].backups[${j}]`);
    });
  });
}

function bad(field: string, message: string): HttpError {
  return new HttpError(400, "bad_request", `${field}: ${message}`, { field });
}

/** A site can only route over tunnels it terminates: the id's first two parts name the ends. */
function checkTunnelOfSite(site: string, id: string, field: string): void {
  const parts = id.split(".");
  if (parts.length !== 4 || (parts[0] !== site && parts[1] !== site)) {
    throw bad(field, `tunnel ${id} does not terminate at site ${site}`);
  }
}

/**
 * The reference operator's Patronus API, v1: the HTTP/JSON surface the operator in operator/ codes
 * against and the harness's mesh simulator serves. It lives outside both programs and imports
 * neither, so each side can change without the other while a drift in what they exchange still
 * breaks the type-check. The OpenAPI document (harness/mesh/api/openapi.json) is generated from it.
 * A change that is not backwards compatible is a new file beside this one (v2.ts), not an edit.
 *
 * Base path: /api/v1. Every call carries `Authorization: Bearer <token>` (401 otherwise).
 * Errors: `ApiError` bodies. 400 malformed JSON / schema violation (message names the field),
 * 404 unknown object, 409 conflict, 413 body over the limit, 429 with Retry-After (seconds),
 * 503 when a fault makes the API unavailable.
 */
import { z } from "zod";

export const API_BASE_PATH = "/api/v1";

/** DNS-1123 label, as Kubernetes object names: sites are registered under their CR name. */
export const Name = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label");

export const LinkType = z.enum(["mpls", "internet", "lte"]);
export type LinkType = z.infer<typeof LinkType>;

export const WanLink = z.strictObject({
  /** Unique within the site; tunnels name links by it. */
  name: Name,
  type: LinkType,
  bandwidthMbps: z.number().int().min(1).max(400_000),
  /** Relative cost; lower is preferred when SLAs tie. */
  cost: z.number().int().min(0).max(1000),
});
export type WanLink = z.infer<typeof WanLink>;

export const SiteSpec = z.strictObject({
  region: Name,
  hub: z.boolean(),
  links: z.array(WanLink).min(1).max(3),
});
export type SiteSpec = z.infer<typeof SiteSpec>;

/** POST /sites: register, idempotent by name (same name + same spec → 200 with the existing site). */
export const RegisterSiteRequest = SiteSpec.extend({ name: Name });
export type RegisterSiteRequest = z.infer<typeof RegisterSiteRequest>;

export const Site = z.strictObject({
  id: z.string(),
  name: Name,
  spec: SiteSpec,
  /** Incremented by the API on every accepted spec change. */
  revision: z.number().int().min(1),
  registeredAt: z.string(),
  updatedAt: z.string(),
});
export type Site = z.infer<typeof Site>;

/** GET /sites?limit=&continue= */
export const SiteList = z.strictObject({
  items: z.array(Site),
  /** Opaque token for the next page; absent on the last page. */
  continue: z.string().optional(),
});
export type SiteList = z.infer<typeof SiteList>;

/** PUT /sites/{name}: update the spec of a registered site (404 when unknown). */
export const UpdateSiteRequest = SiteSpec;

export const TrafficClass = Name;

/** A tunnel id: `${siteA}.${siteB}.${linkA}.${linkB}` with siteA < siteB (see tunnelId). */
export const TunnelId = z.string().min(3).max(253);

export const ClassRoute = z.strictObject({
  class: TrafficClass,
  activeTunnel: TunnelId,
  backups: z.array(TunnelId).max(8),
});
export type ClassRoute = z.infer<typeof ClassRoute>;

/** PUT /sites/{name}/routing → 202 Operation. */
export const RoutingConfig = z.strictObject({ classes: z.array(ClassRoute).max(32) });
export type RoutingConfig = z.infer<typeof RoutingConfig>;

export const SlaBounds = z.strictObject({
  maxLatencyMs: z.number().positive().max(10_000),
  maxJitterMs: z.number().nonnegative().max(10_000),
  maxLossPercent: z.number().nonnegative().max(100),
});
export type SlaBounds = z.infer<typeof SlaBounds>;

/** PUT /policies/{name} (create or update) → 200 Policy; DELETE /policies/{name} → 204. */
export const PolicySpec = z.strictObject({
  class: TrafficClass,
  sites: z.array(Name).max(10_000),
  sla: SlaBounds,
  /** Link types in order of preference. */
  preferredLinks: z.array(LinkType).min(1).max(3),
});
export type PolicySpec = z.infer<typeof PolicySpec>;

export const Policy = z.strictObject({
  name: Name,
  spec: PolicySpec,
  revision: z.number().int().min(1),
  updatedAt: z.string(),
});
export type Policy = z.infer<typeof Policy>;

/**
 * POST /policies/{name}/apply → 202 Operation; PUT /sites/{name}/routing → 202 Operation.
 * GET /operations/{id} reports when each site has applied it; `convergedAt` is the
 * data-plane converged time (all sites applied).
 */
export const Operation = z.strictObject({
  id: z.string(),
  kind: z.enum(["policy-apply", "routing"]),
  target: z.string(),
  state: z.enum(["Pending", "Applied", "Failed"]),
  submittedAt: z.string(),
  sites: z.array(z.strictObject({ site: Name, appliedAt: z.string().optional() })),
  convergedAt: z.string().optional(),
  message: z.string().optional(),
});
export type Operation = z.infer<typeof Operation>;

/**
 * PUT /meshes/{name}/tunnels: the operator programs the tunnel set it computed for a Mesh; the
 * simulator models telemetry for exactly the programmed tunnels (whose sites are registered).
 */
export const Tunnel = z.strictObject({
  id: TunnelId,
  siteA: Name,
  siteB: Name,
  linkA: Name,
  linkB: Name,
});
export type Tunnel = z.infer<typeof Tunnel>;
export const TunnelSet = z.strictObject({ tunnels: z.array(Tunnel).max(200_000) });
export type TunnelSet = z.infer<typeof TunnelSet>;

/** Response of PUT /meshes/{name}/tunnels (GET returns the TunnelSet; DELETE → 204). */
export const TunnelSetStatus = z.strictObject({
  mesh: Name,
  tunnels: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  /** Programmed tunnels across all meshes whose both sites are known, i.e. with telemetry. */
  modeled: z.number().int().nonnegative(),
});
export type TunnelSetStatus = z.infer<typeof TunnelSetStatus>;

/** GET /sites/{name}/routing: the routing config the site's data plane last applied. */
export const SiteRouting = z.strictObject({
  site: Name,
  classes: z.array(ClassRoute),
  operationId: z.string().optional(),
  appliedAt: z.string().optional(),
});
export type SiteRouting = z.infer<typeof SiteRouting>;

export const TunnelState = z.enum(["Up", "Degraded", "Down"]);
export type TunnelState = z.infer<typeof TunnelState>;

export const TunnelTelemetry = z.strictObject({
  id: TunnelId,
  latencyMs: z.number().nonnegative(),
  jitterMs: z.number().nonnegative(),
  lossPercent: z.number().min(0).max(100),
  state: TunnelState,
  /** Simulator time of the sample, ISO-8601. */
  at: z.string(),
});
export type TunnelTelemetry = z.infer<typeof TunnelTelemetry>;

/** GET /telemetry/snapshot */
export const TelemetrySnapshot = z.strictObject({
  /** Resume from here on the stream: every change after this cursor is delivered. */
  cursor: z.number().int().nonnegative(),
  tunnels: z.array(TunnelTelemetry),
});
export type TelemetrySnapshot = z.infer<typeof TelemetrySnapshot>;

/**
 * GET /telemetry/stream (Server-Sent Events). Resume with `?cursor=N` or `Last-Event-ID: N`.
 * Without a cursor, or with one older than the retained window, the first event is
 * `snapshot` (data: TelemetrySnapshot). Then `update` events (id: cursor, data: TelemetryUpdate)
 * carry only the tunnels that changed in a tick. Comment lines (`: keepalive`) every 15 s.
 */
export const TelemetryUpdate = z.strictObject({
  cursor: z.number().int().nonnegative(),
  tunnels: z.array(TunnelTelemetry),
  /**
   * Tunnels no longer modelled (unprogrammed, or a site deregistered): drop them. Applied before
   * `tunnels`, so an id in both was removed and re-added in the same update.
   */
  removed: z.array(TunnelId).optional(),
});
export type TelemetryUpdate = z.infer<typeof TelemetryUpdate>;

export const ApiError = z.strictObject({
  code: z.enum([
    "bad_request",
    "unauthorized",
    "not_found",
    "conflict",
    "payload_too_large",
    "rate_limited",
    "unavailable",
    "internal",
  ]),
  message: z.string(),
  /** For schema violations: the JSON path of the offending field, e.g. `links[0].type`. */
  field: z.string().optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/** The one place the tunnel naming rule lives. Sites are ordered so both ends agree. */
export function tunnelId(siteA: string, linkA: string, siteB: string, linkB: string): string {
  return siteA < siteB ? `${siteA}.${siteB}.${linkA}.${linkB}` : `${siteB}.${siteA}.${linkB}.${linkA}`;
}

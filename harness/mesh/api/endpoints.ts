/**
 * The catalog of the simulator's HTTP endpoints and the zod schemas of their bodies: what the
 * OpenAPI document (openapi.ts) is built from. Adding an endpoint means adding it here.
 */
import { z } from "zod";
import * as c from "../../../contract/patronus-api/v1.ts";
import {
  ApiFaultRequest,
  DegradeRequest,
  EventPage,
  FAULTS_BASE_PATH,
  FailRequest,
  Fault,
  FaultList,
  FlapRequest,
  RestoreRequest,
  RestoreResult,
} from "../faults/schema.ts";
import { REQUESTS_PATH, RequestPage } from "../requests/schema.ts";
import { MissingSites, PeerSite, SHARD_BASE_PATH, ShardApply, SiteNames } from "../shard/schema.ts";
import type { Dialect } from "./dialect.ts";
import * as rs from "./patronus-rs.ts";

export const SCHEMAS: Record<string, { schema: z.ZodType; io: "input" | "output" }> = {
  ApiError: { schema: c.ApiError, io: "output" },
  RegisterSiteRequest: { schema: c.RegisterSiteRequest, io: "input" },
  UpdateSiteRequest: { schema: c.UpdateSiteRequest, io: "input" },
  Site: { schema: c.Site, io: "output" },
  SiteList: { schema: c.SiteList, io: "output" },
  RoutingConfig: { schema: c.RoutingConfig, io: "input" },
  SiteRouting: { schema: c.SiteRouting, io: "output" },
  PolicySpec: { schema: c.PolicySpec, io: "input" },
  Policy: { schema: c.Policy, io: "output" },
  Operation: { schema: c.Operation, io: "output" },
  TunnelSet: { schema: c.TunnelSet, io: "input" },
  TunnelSetStatus: { schema: c.TunnelSetStatus, io: "output" },
  TelemetrySnapshot: { schema: c.TelemetrySnapshot, io: "output" },
  TelemetryUpdate: { schema: c.TelemetryUpdate, io: "output" },
  FailRequest: { schema: FailRequest, io: "input" },
  RestoreRequest: { schema: RestoreRequest, io: "input" },
  DegradeRequest: { schema: DegradeRequest, io: "input" },
  FlapRequest: { schema: FlapRequest, io: "input" },
  ApiFaultRequest: { schema: ApiFaultRequest, io: "input" },
  Fault: { schema: Fault, io: "output" },
  FaultList: { schema: FaultList, io: "output" },
  RestoreResult: { schema: RestoreResult, io: "output" },
  EventPage: { schema: EventPage, io: "output" },
  RequestPage: { schema: RequestPage, io: "output" },
  RsSiteBody: { schema: rs.RsSiteBody, io: "input" },
  RsSite: { schema: rs.RsSite, io: "output" },
  RsPolicyBody: { schema: rs.RsPolicyBody, io: "input" },
  RsPolicy: { schema: rs.RsPolicy, io: "output" },
  ReceivedState: { schema: rs.ReceivedState, io: "output" },
  PeerSite: { schema: PeerSite, io: "input" },
  SiteNames: { schema: SiteNames, io: "input" },
  MissingSites: { schema: MissingSites, io: "output" },
  ShardApply: { schema: ShardApply, io: "input" },
  Health: {
    schema: z.strictObject({
      status: z.literal("ok"),
      sites: z.number().int(),
      tunnels: z.number().int(),
      cursor: z.number().int(),
    }),
    io: "output",
  },
};

export type SchemaName = keyof typeof SCHEMAS;

export interface Op {
  method: "get" | "post" | "put" | "delete";
  path: string;
  summary: string;
  request?: SchemaName;
  /** status → schema name, or null for no body. */
  ok: Record<number, SchemaName | null>;
  errors?: number[];
  query?: { name: string; schema: object; description: string }[];
  auth?: false;
  sse?: true;
}

const API = c.API_BASE_PATH;
const F = FAULTS_BASE_PATH;

/** The caller prefix, documented once: every path also answers under it. */
export const CALLER_NOTE =
  "Every path is also served under the prefix /c/{caller} (e.g. /c/replica-0/api/v1/sites/x): the request is attributed to that caller in the request log (GET /requests), the per-caller metrics, rate limit and partition faults. Without a prefix the header X-Patronus-Caller names the caller; with neither it is `anonymous`.";

/** The Patronus API of the reference dialect (contract.ts). */
const REFERENCE_API_OPS: Op[] = [
  {
    method: "post",
    path: `${API}/sites`,
    summary: "Register a site (idempotent by name; 409 on a different spec)",
    request: "RegisterSiteRequest",
    ok: { 200: "Site", 201: "Site" },
    errors: [409],
  },
  {
    method: "get",
    path: `${API}/sites`,
    summary: "List sites by name, paged",
    ok: { 200: "SiteList" },
    query: [
      {
        name: "limit",
        schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
        description: "Page size",
      },
      { name: "continue", schema: { type: "string" }, description: "Token from the previous page" },
    ],
  },
  { method: "get", path: `${API}/sites/{name}`, summary: "Get a site", ok: { 200: "Site" }, errors: [404] },
  {
    method: "put",
    path: `${API}/sites/{name}`,
    summary: "Update a site's spec",
    request: "UpdateSiteRequest",
    ok: { 200: "Site" },
    errors: [404],
  },
  {
    method: "delete",
    path: `${API}/sites/{name}`,
    summary: "Deregister a site",
    ok: { 204: null },
    errors: [404],
  },
  {
    method: "put",
    path: `${API}/sites/{name}/routing`,
    summary: "Push a site's routing config; applied asynchronously",
    request: "RoutingConfig",
    ok: { 202: "Operation" },
    errors: [404],
  },
  {
    method: "get",
    path: `${API}/sites/{name}/routing`,
    summary: "The routing config the site last applied",
    ok: { 200: "SiteRouting" },
    errors: [404],
  },
  {
    method: "get",
    path: `${API}/policies/{name}`,
    summary: "Get a policy",
    ok: { 200: "Policy" },
    errors: [404],
  },
  {
    method: "put",
    path: `${API}/policies/{name}`,
    summary: "Create or update a policy",
    request: "PolicySpec",
    ok: { 200: "Policy" },
  },
  {
    method: "delete",
    path: `${API}/policies/{name}`,
    summary: "Delete a policy",
    ok: { 204: null },
    errors: [404],
  },
  {
    method: "post",
    path: `${API}/policies/{name}/apply`,
    summary: "Apply a policy to its sites",
    ok: { 202: "Operation" },
    errors: [404, 409],
  },
  {
    method: "get",
    path: `${API}/operations/{id}`,
    summary: "Per-site applied times and convergence of an operation",
    ok: { 200: "Operation" },
    errors: [404],
  },
  {
    method: "put",
    path: `${API}/meshes/{name}/tunnels`,
    summary: "Program a mesh's tunnel set",
    request: "TunnelSet",
    ok: { 200: "TunnelSetStatus" },
  },
  {
    method: "get",
    path: `${API}/meshes/{name}/tunnels`,
    summary: "The programmed tunnel set",
    ok: { 200: "TunnelSet" },
    errors: [404],
  },
  {
    method: "delete",
    path: `${API}/meshes/{name}/tunnels`,
    summary: "Unprogram a mesh",
    ok: { 204: null },
    errors: [404],
  },
];

/** The telemetry of the modelled tunnels, served in every dialect. */
const TELEMETRY_OPS: Op[] = [
  {
    method: "get",
    path: `${API}/telemetry/snapshot`,
    summary: "Telemetry of every modelled tunnel and the cursor to resume from",
    ok: { 200: "TelemetrySnapshot" },
  },
  {
    method: "get",
    path: `${API}/telemetry/stream`,
    summary:
      "Server-Sent Events: `snapshot` (TelemetrySnapshot) without a valid cursor, then `update` (TelemetryUpdate) events with id = cursor; `: keepalive` comments",
    ok: { 200: null },
    sse: true,
    query: [
      {
        name: "cursor",
        schema: { type: "integer", minimum: 0 },
        description: "Resume after this cursor (or send Last-Event-ID)",
      },
    ],
  },
];

/** The Patronus API of the patronus-rs dialect (patronus-rs.ts): no token. */
const PATRONUS_RS_API_OPS: Op[] = [
  {
    method: "put",
    path: `${API}/sites/{name}`,
    summary: "Create (201) or replace (200) a site; the body's name must be the path's",
    request: "RsSiteBody",
    ok: { 200: "RsSite", 201: "RsSite" },
    auth: false,
  },
  {
    method: "delete",
    path: `${API}/sites/{name}`,
    summary: "Delete a site",
    ok: { 204: null },
    errors: [404],
    auth: false,
  },
  {
    method: "put",
    path: `${API}/policies/{name}`,
    summary: "Create (201) or replace (200) a policy; the body is the Policy spec",
    request: "RsPolicyBody",
    ok: { 200: "RsPolicy", 201: "RsPolicy" },
    auth: false,
  },
  {
    method: "delete",
    path: `${API}/policies/{name}`,
    summary: "Delete a policy",
    ok: { 204: null },
    errors: [404],
    auth: false,
  },
];

/** The control side both dialects share: faults, event and request logs, health, sharding. */
const CONTROL_OPS: Op[] = [
  { method: "get", path: `${F}/faults`, summary: "Active faults", ok: { 200: "FaultList" } },
  {
    method: "post",
    path: `${F}/fail`,
    summary: "Fail a link, site, hub or region",
    request: "FailRequest",
    ok: { 201: "Fault" },
    errors: [404],
  },
  {
    method: "post",
    path: `${F}/restore`,
    summary: "Clear the faults on exactly this target",
    request: "RestoreRequest",
    ok: { 200: "RestoreResult" },
  },
  {
    method: "post",
    path: `${F}/degrade`,
    summary: "Add latency, jitter or loss to a target's links",
    request: "DegradeRequest",
    ok: { 201: "Fault" },
    errors: [404],
  },
  {
    method: "post",
    path: `${F}/flap`,
    summary: "Flap a target: down/up every periodMs/2, count times",
    request: "FlapRequest",
    ok: { 201: "Fault" },
    errors: [404],
  },
  {
    method: "post",
    path: `${F}/api`,
    summary:
      "Fault the Patronus API: unavailable, latency, reset, drop-stream, or partition one caller (blackhole: its requests held unanswered until it gives up or the partition heals; reset: its connections reset)",
    request: "ApiFaultRequest",
    ok: { 201: "Fault" },
  },
  {
    method: "delete",
    path: `${F}/faults/{id}`,
    summary: "Clear one fault",
    ok: { 204: null },
    errors: [404],
  },
  { method: "post", path: `${F}/clear`, summary: "Clear every fault", ok: { 200: "RestoreResult" } },
  {
    method: "get",
    path: "/events",
    summary: "The simulator's event log (faults and their effects), oldest first",
    ok: { 200: "EventPage" },
    query: [
      { name: "since", schema: { type: "integer", minimum: 0 }, description: "Only events with seq > since" },
      { name: "kinds", schema: { type: "string" }, description: "Comma-separated event kinds" },
      {
        name: "limit",
        schema: { type: "integer", minimum: 1, maximum: 10000 },
        description: "At most this many",
      },
    ],
  },
  {
    method: "get",
    path: REQUESTS_PATH,
    summary:
      "The per-caller request log: Patronus API requests of clients under test, oldest first (bounded; `dropped` counts what was evicted)",
    ok: { 200: "RequestPage" },
    query: [
      {
        name: "since",
        schema: { type: "integer", minimum: 0 },
        description: "Only entries with seq > since",
      },
      { name: "caller", schema: { type: "string" }, description: "Only this caller's requests" },
      {
        name: "limit",
        schema: { type: "integer", minimum: 1, maximum: 10000 },
        description: "At most this many",
      },
    ],
  },
  { method: "get", path: "/healthz", summary: "Liveness and size", ok: { 200: "Health" }, auth: false },
  {
    method: "put",
    path: `${SHARD_BASE_PATH}/peers/{name}`,
    summary: "Replicas only (--shard): make a site another shard owns known here (the shard router calls it)",
    request: "PeerSite",
    ok: { 204: null },
  },
  {
    method: "delete",
    path: `${SHARD_BASE_PATH}/peers/{name}`,
    summary: "Replicas only: forget a peer site its owner deregistered",
    ok: { 204: null },
    errors: [404],
  },
  {
    method: "post",
    path: `${SHARD_BASE_PATH}/unregistered`,
    summary: "Replicas only: which of these sites are not registered here",
    request: "SiteNames",
    ok: { 200: "MissingSites" },
  },
  {
    method: "post",
    path: `${SHARD_BASE_PATH}/apply`,
    summary: "Replicas only: apply a policy to this shard's part of its sites",
    request: "ShardApply",
    ok: { 202: "Operation" },
    errors: [409],
  },
];

const RECEIVED_OP: Op = {
  method: "get",
  path: rs.RECEIVED_PATH,
  summary:
    "What the patronus-rs dialect received: the latest body per site and policy, who sent it, and the deletions",
  ok: { 200: "ReceivedState" },
};

/** Every endpoint a simulator speaking `dialect` serves. */
export function operationsOf(dialect: Dialect): Op[] {
  return dialect === "patronus-rs"
    ? [...PATRONUS_RS_API_OPS, ...TELEMETRY_OPS, ...CONTROL_OPS, RECEIVED_OP]
    : [...REFERENCE_API_OPS, ...TELEMETRY_OPS, ...CONTROL_OPS];
}

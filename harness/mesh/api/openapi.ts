/**
 * The OpenAPI 3.1 document of the simulator's HTTP surface, generated from the zod schemas the
 * server validates with (contract.ts and faults/schema.ts), so the document cannot drift from the
 * code: a test regenerates it and compares it with the committed openapi.json.
 */
import { z } from "zod";
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
import * as c from "./contract.ts";

const SCHEMAS: Record<string, { schema: z.ZodType; io: "input" | "output" }> = {
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

type SchemaName = keyof typeof SCHEMAS;

interface Op {
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
const OPS: Op[] = [
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
    summary: "Fault the Patronus API: unavailable, latency, reset, drop-stream",
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
  { method: "get", path: "/healthz", summary: "Liveness and size", ok: { 200: "Health" }, auth: false },
];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ "application/json": { schema: ref(name) } });

function errorResponses(op: Op): Record<string, object> {
  const out: Record<string, object> = {};
  const isApi = op.path.startsWith(API);
  const statuses = new Set<number>([...(op.errors ?? [])]);
  if (op.auth !== false) statuses.add(401);
  if (op.request || op.query || op.path.includes("{")) statuses.add(400);
  if (op.request) statuses.add(413);
  if (isApi) {
    statuses.add(429);
    statuses.add(503);
  }
  for (const s of [...statuses].sort())
    out[String(s)] = { description: `Error (${s})`, content: json("ApiError") };
  return out;
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const [name, { schema, io }] of Object.entries(SCHEMAS)) {
    const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io }) as Record<
      string,
      unknown
    >;
    schemas[name] = rest;
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const query = (op.query ?? []).map((q) => ({
      name: q.name,
      in: "query",
      required: false,
      schema: q.schema,
      description: q.description,
    }));
    const responses: Record<string, object> = {};
    for (const [status, name] of Object.entries(op.ok)) {
      if (op.sse) {
        responses[status] = {
          description: "text/event-stream",
          content: { "text/event-stream": { schema: { type: "string" } } },
          "x-sse-events": { snapshot: ref("TelemetrySnapshot"), update: ref("TelemetryUpdate") },
        };
      } else
        responses[status] = name ? { description: name, content: json(name) } : { description: "No content" };
    }
    Object.assign(responses, errorResponses(op));
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      operationId: `${op.method}${op.path
        .replace(/[{}]/g, "")
        .replace(/\/(\w)/g, (_, ch: string) => ch.toUpperCase())
        .replace(/[^A-Za-z0-9]/g, "")}`,
      ...(params.length + query.length > 0 ? { parameters: [...params, ...query] } : {}),
      ...(op.request ? { requestBody: { required: true, content: json(op.request) } } : {}),
      responses,
      ...(op.auth === false ? { security: [] } : {}),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Patronus API (mesh simulator)",
      version: "1.0.0",
      description:
        "The Patronus SD-WAN controller API as served by patronus-bench's mesh simulator, plus its fault-injection API and event log. Generated from harness/mesh/api/contract.ts and harness/mesh/faults/schema.ts by `npm run mesh:openapi`.",
    },
    security: [{ bearer: [] }],
    paths,
    components: { schemas, securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
  };
}

export function renderOpenApiDocument(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

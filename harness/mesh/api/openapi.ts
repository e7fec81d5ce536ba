/**
 * The OpenAPI 3.1 document of the simulator's HTTP surface, generated from the zod schemas the
 * server validates with (contract/patronus-api/v1.ts and faults/schema.ts), so the document cannot drift from the
 * code: a test regenerates it and compares it with the committed openapi.json.
 */
import { z } from "zod";
import * as c from "../../../contract/patronus-api/v1.ts";
import type { Dialect } from "./dialect.ts";
import { CALLER_NOTE, type Op, operationsOf, SCHEMAS } from "./endpoints.ts";

const API = c.API_BASE_PATH;

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

const DESCRIPTIONS: Record<Dialect, { title: string; description: string }> = {
  reference: {
    title: "Patronus API (mesh simulator)",
    description:
      "The Patronus SD-WAN controller API as served by patronus-bench's mesh simulator, plus its fault-injection API and event log. Generated from contract/patronus-api/v1.ts and harness/mesh/faults/schema.ts by `npm run mesh:openapi`.",
  },
  "patronus-rs": {
    title: "Patronus API, patronus-rs dialect (mesh simulator)",
    description:
      "What the upstream Rust Patronus operator calls, as patronus-bench's mesh simulator serves it with `--dialect patronus-rs` (no token on /api/v1), the telemetry of the modelled tunnels (which that operator does not read), and the simulator's fault-injection API, event and request logs and the received state. Generated from harness/mesh/api/patronus-rs.ts by `npm run mesh:openapi`.",
  },
};

export function buildOpenApiDocument(dialect: Dialect = "reference"): Record<string, unknown> {
  const OPS = operationsOf(dialect);
  const referenced = new Set(
    [...JSON.stringify(OPS).matchAll(/"(?:request|ok|\d+)":"(\w+)"/g)].map((m) => m[1]!),
  );
  const schemas: Record<string, unknown> = {};
  for (const [name, { schema, io }] of Object.entries(SCHEMAS)) {
    const used = referenced.has(name) || (OPS.some((op) => op.sse) && isSseSchema(name));
    if (name !== "ApiError" && !used) continue;
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
      title: DESCRIPTIONS[dialect].title,
      version: "1.0.0",
      description: `${DESCRIPTIONS[dialect].description} ${CALLER_NOTE}`,
    },
    security: [{ bearer: [] }],
    paths,
    components: { schemas, securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
  };
}

/** The telemetry stream's event schemas, referenced from the SSE extension rather than a body. */
function isSseSchema(name: string): boolean {
  return name === "TelemetrySnapshot" || name === "TelemetryUpdate";
}

export function renderOpenApiDocument(dialect: Dialect = "reference"): string {
  return `${JSON.stringify(buildOpenApiDocument(dialect), null, 2)}\n`;
}

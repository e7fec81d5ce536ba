/**
 * Shared by the mesh integration tests: an HTTP caller, an SSE reader (eventsource-parser, a real
 * SSE client library) and a validator of responses against the committed OpenAPI document.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { createParser, type EventSourceMessage } from "eventsource-parser";

export interface Called {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export async function call(
  base: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  init: { rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Called> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const payload = init.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: payload,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export interface SseStream {
  /** Next event (skipping comments), or throws after timeoutMs. */
  next(timeoutMs?: number): Promise<EventSourceMessage>;
  comments: string[];
  close(): void;
  closed: Promise<void>;
}

export async function openStream(
  url: string,
  token: string,
  options: { lastEventId?: string } = {},
): Promise<{ status: number; stream: SseStream }> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (options.lastEventId !== undefined) headers["last-event-id"] = options.lastEventId;
  const res = await fetch(url, { headers, signal: controller.signal });
  const queue: EventSourceMessage[] = [];
  const waiters: ((e: EventSourceMessage | Error) => void)[] = [];
  const comments: string[] = [];
  let ended: Error | undefined;
  const parser = createParser({
    onEvent: (e) => {
      const w = waiters.shift();
      if (w) w(e);
      else queue.push(e);
    },
    onComment: (c) => comments.push(c),
  });
  const closed = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      ended = new Error("stream ended");
    } catch (err) {
      ended = err instanceof Error ? err : new Error(String(err));
    }
    for (const w of waiters.splice(0)) w(ended);
  })();
  const stream: SseStream = {
    comments,
    closed,
    next(timeoutMs = 5000) {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      if (ended) return Promise.reject(ended);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(settle);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`no SSE event within ${timeoutMs} ms`));
        }, timeoutMs);
        const settle = (e: EventSourceMessage | Error) => {
          clearTimeout(timer);
          if (e instanceof Error) reject(e);
          else resolve(e);
        };
        waiters.push(settle);
      });
    },
    close: () => controller.abort(),
  };
  return { status: res.status, stream };
}

type OpenApiDoc = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, unknown> };
};

export const OPENAPI_FILE = fileURLToPath(new URL("../../../harness/mesh/api/openapi.json", import.meta.url));

/** Validates real responses against the committed document's response schemas. */
export class OpenApiChecker {
  readonly doc: OpenApiDoc;
  private readonly ajv: Ajv2020;
  readonly seen = new Set<string>();

  constructor(doc: OpenApiDoc = JSON.parse(readFileSync(OPENAPI_FILE, "utf8"))) {
    this.doc = doc;
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    this.ajv.addSchema({ $id: "openapi.json", components: doc.components });
  }

  /** Throws when the status is undocumented for the operation or the body does not match. */
  check(method: string, pathPattern: string, res: { status: number; body: unknown }): void {
    const op = this.doc.paths[pathPattern]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${pathPattern} is not in the OpenAPI document`);
    const response = op.responses[String(res.status)];
    if (!response)
      throw new Error(`${method} ${pathPattern} answered ${res.status}, which is not documented`);
    this.seen.add(`${method.toUpperCase()} ${pathPattern} ${res.status}`);
    const media = response.content?.["application/json"];
    if (!media) {
      if (res.body !== undefined && response.content === undefined) {
        throw new Error(`${method} ${pathPattern} ${res.status} has a body but the document says none`);
      }
      return;
    }
    this.validate(media.schema, res.body, `${method} ${pathPattern} ${res.status}`);
  }

  validate(schema: unknown, value: unknown, what: string): void {
    const ref = (schema as { $ref?: string }).$ref;
    const validator = this.ajv.getSchema(`openapi.json${ref ?? ""}`);
    if (!validator) throw new Error(`cannot resolve ${ref}`);
    if (!validator(value)) {
      throw new Error(
        `${what}: response does not match the OpenAPI document: ${this.ajv.errorsText(validator.errors)}`,
      );
    }
  }

  schemaRef(name: string): { $ref: string } {
    return { $ref: `#/components/schemas/${name}` };
  }
}

/** Small apiserver helpers for the CRD and RBAC integration tests (not a test file itself). */
import { type RequestOptions, request } from "node:https";
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { GROUP, KINDS, type KindName, VERSION } from "../../../operator/api/v1alpha1/types.ts";

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface Rejection {
  code: number;
  message: string;
  causes: StatusCause[];
}

export function pluralOf(kind: KindName): string {
  return KINDS.find((k) => k.kind === kind)!.plural;
}

export function customObjects(kc: KubeConfig): CustomObjectsApi {
  return kc.makeApiClient(CustomObjectsApi);
}

/** The HTTP code and metav1.Status of a failed call; rethrows anything that is not an API error. */
export function rejection(err: unknown): Rejection {
  const e = err as { code?: unknown; body?: unknown };
  if (typeof e.code !== "number") throw err;
  let status: { message?: string; details?: { causes?: StatusCause[] } } = {};
  if (typeof e.body === "string") {
    try {
      status = JSON.parse(e.body);
    } catch {
      status = { message: e.body };
    }
  } else if (e.body && typeof e.body === "object") {
    status = e.body as typeof status;
  }
  return { code: e.code, message: status.message ?? "", causes: status.details?.causes ?? [] };
}

/** Runs `call`, which must fail with an API error; returns that error. */
export async function expectRejection(call: () => Promise<unknown>): Promise<Rejection> {
  try {
    await call();
  } catch (err) {
    return rejection(err);
  }
  throw new Error("the apiserver accepted a request it should have rejected");
}

export function createObject(kc: KubeConfig, namespace: string, obj: { kind: KindName }): Promise<unknown> {
  return customObjects(kc).createNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace,
    plural: pluralOf(obj.kind),
    body: obj,
    fieldValidation: "Strict",
  });
}

/**
 * A raw GET with the kubeconfig's credentials, for what client-node's typed calls cannot give:
 * the Table representation, and objects exactly as stored (its models rename fields like `enum`).
 */
export async function getRaw(kc: KubeConfig, path: string, accept = "application/json"): Promise<unknown> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("kubeconfig has no current cluster");
  const url = new URL(path, cluster.server);
  const options: RequestOptions = {
    hostname: url.hostname,
    port: url.port,
    path: url.pathname + url.search,
    method: "GET",
    headers: { Accept: accept },
  };
  await kc.applyToHTTPSOptions(options);
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(options, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () =>
        res.statusCode === 200 ? resolve(text) : reject(new Error(`GET ${path}: ${res.statusCode} ${text}`)),
      );
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
  return JSON.parse(body);
}

/** GET as a Table, the representation kubectl prints: column names and the first row's cells. */
export async function getTable(
  kc: KubeConfig,
  path: string,
): Promise<{ columns: string[]; cells: unknown[] }> {
  const table = (await getRaw(kc, path, "application/json;as=Table;g=meta.k8s.io;v=v1")) as {
    columnDefinitions: { name: string }[];
    rows: { cells: unknown[] }[];
  };
  return { columns: table.columnDefinitions.map((c) => c.name), cells: table.rows[0]?.cells ?? [] };
}

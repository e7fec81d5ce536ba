/**
 * The load driver's and measurements' access to the cluster, as the admin user: create, merge-
 * patch, delete and watch sdwan.patronus.io objects through the harness's own undici client
 * (./rest.ts); read and list through client-node's generic object API.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  type RequestContext,
} from "@kubernetes/client-node";
import { API_VERSION, GROUP, KINDS, VERSION } from "../../../contract/reference-crds/v1alpha1.ts";
import { KubeRequestError, KubeRest, MERGE_PATCH } from "./rest.ts";

/** Connections in the write pool (a 1000-Site burst goes out at once). */
const WRITE_CONNECTIONS = 16;
/** The apiserver names the field manager of the harness's writes after it. */
const HARNESS_USER_AGENT = "patronus-bench";

export interface CrObject extends KubernetesObject {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

const PLURAL: ReadonlyMap<string, string> = new Map(KINDS.map((k) => [k.kind, k.plural]));

/** A custom resource as an operator definition names it (its kinds' group, version, plural, kind). */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

/** A kind of the reference API by name, or an operator definition's resource. */
export type KindRef = string | ResourceRef;

function resourceOf(kind: KindRef): ResourceRef {
  if (typeof kind !== "string") return kind;
  const plural = PLURAL.get(kind);
  if (!plural) throw new Error(`no ${GROUP} kind ${kind}`);
  return { group: GROUP, version: VERSION, plural, kind };
}

/** The REST path of a custom resource collection, or of one object. */
export function objectPath(kind: KindRef, namespace: string, name?: string): string {
  const r = resourceOf(kind);
  const base = `/apis/${r.group}/${r.version}/namespaces/${encodeURIComponent(namespace)}/${r.plural}`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}

export class KubeObjects {
  readonly kc: KubeConfig;
  readonly api: KubernetesObjectApi;
  /** The load driver's writes (the hot path) skip client-node's request machinery. */
  private readonly rest: KubeRest;

  constructor(kc: KubeConfig) {
    this.kc = kc;
    this.api = KubernetesObjectApi.makeApiClient(withSharedDispatcher(kc));
    this.rest = new KubeRest(kc, { connections: WRITE_CONNECTIONS, userAgent: HARNESS_USER_AGENT });
  }

  create(
    kind: KindRef,
    namespace: string,
    name: string,
    spec: Record<string, unknown>,
    labels?: Record<string, string>,
  ): Promise<CrObject> {
    const r = resourceOf(kind);
    return this.rest.request<CrObject>("POST", objectPath(r, namespace), {
      body: {
        apiVersion: `${r.group}/${r.version}`,
        kind: r.kind,
        metadata: { name, namespace, ...(labels ? { labels } : {}) },
        spec,
      },
    });
  }

  patchSpec(
    kind: KindRef,
    namespace: string,
    name: string,
    spec: Record<string, unknown>,
  ): Promise<CrObject> {
    const r = resourceOf(kind);
    return this.rest.request<CrObject>("PATCH", objectPath(r, namespace, name), {
      query: { fieldManager: "patronus-bench" },
      body: { apiVersion: `${r.group}/${r.version}`, kind: r.kind, metadata: { name, namespace }, spec },
      contentType: MERGE_PATCH,
    });
  }

  /** Answers the object (with deletionTimestamp while finalizers hold it) or a Status. */
  delete(kind: KindRef, namespace: string, name: string): Promise<CrObject> {
    return this.rest.request<CrObject>("DELETE", objectPath(kind, namespace, name));
  }

  /**
   * Opens a watch stream (JSON lines) on its own connection pool; a non-200 answer throws
   * KubeRequestError (410 Gone included).
   */
  openWatch(path: string, query: Record<string, string | boolean | undefined>, signal: AbortSignal) {
    return this.rest.openWatch(path, query, signal);
  }

  /** Closes the write and watch pools (client-node's requests keep their own dispatcher). */
  close(): Promise<void> {
    return this.rest.close();
  }

  read(kind: KindRef, namespace: string, name: string) {
    const r = resourceOf(kind);
    return this.api.read<CrObject>({
      apiVersion: `${r.group}/${r.version}`,
      kind: r.kind,
      metadata: { name, namespace },
    });
  }

  /**
   * Lists, retrying for a while on 429/5xx: right after a CRD is installed (or the apiserver or
   * etcd restarted) the watch cache answers 429 "storage is (re)initializing".
   */
  async list(
    kind: KindRef,
    namespace: string,
    apiVersion = typeof kind === "string" ? API_VERSION : `${kind.group}/${kind.version}`,
  ): Promise<{ items: CrObject[]; resourceVersion: string }> {
    const deadline = performance.now() + 60_000;
    for (let attempt = 0; ; attempt++) {
      try {
        const name = typeof kind === "string" ? kind : kind.kind;
        const list = await this.api.list<CrObject>(apiVersion, name, namespace);
        return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? "" };
      } catch (err) {
        const code = statusCodeOf(err);
        const retriable = code === undefined || code === 429 || code >= 500;
        if (!retriable || performance.now() > deadline) throw err;
        await sleep(Math.min(2000, 100 * 2 ** attempt));
      }
    }
  }
}

/** The HTTP status of a KubeRest or client-node error, when it has one. */
export function statusCodeOf(err: unknown): number | undefined {
  if (err instanceof KubeRequestError) return err.status;
  const e = err as { code?: unknown; statusCode?: unknown; body?: { code?: unknown } };
  for (const v of [e?.code, e?.statusCode, e?.body?.code]) if (typeof v === "number") return v;
  return undefined;
}

/**
 * client-node 2.0.1 builds a new undici Agent, so a new TLS connection, for every request it
 * authenticates. At the load phases' 50 requests/s (and 1000 creates in a burst) those handshakes
 * cost the harness and the apiserver CPU the system under test should have, and made the load
 * driver's own requests slow. One keep-alive dispatcher is built on the first request and reused.
 */
function withSharedDispatcher(kc: KubeConfig): KubeConfig {
  const pooled = Object.create(kc) as KubeConfig;
  let shared: ReturnType<RequestContext["getDispatcher"]>;
  pooled.applySecurityAuthentication = async (ctx: RequestContext) => {
    await kc.applySecurityAuthentication(ctx);
    shared ??= ctx.getDispatcher();
    if (shared) ctx.setDispatcher(shared);
  };
  return pooled;
}

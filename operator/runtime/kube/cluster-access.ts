/**
 * How the operator reaches the apiserver: the server URL, a keep-alive connection pool with the
 * cluster's TLS material, and the auth headers. Read from a kubeconfig file.
 *
 * The common kubeconfigs (bearer token inline or in a file, client certificate, CA) are read
 * here directly. Everything else (exec plugins, OIDC and cloud auth providers, basic auth, a
 * proxy) goes through client-node's KubeConfig, imported only then: that module loads every
 * generated API model of client-node, measured at +74 MiB RSS and ~0.8 s of start-up, which is
 * more than a third of the operator's memory budget at 1000 Sites for code it never calls.
 */
import { readFileSync } from "node:fs";
import type { RequestOptions as HttpsRequestOptions } from "node:https";
import { dirname, isAbsolute, join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { Agent, type Dispatcher } from "undici";
import { parse } from "yaml";
import { z } from "zod";

export interface ClusterAccess {
  /** The apiserver URL without a trailing slash. */
  readonly server: string;
  /** A new keep-alive connection pool to the apiserver. */
  dispatcher(connections: number): Promise<Dispatcher>;
  /** Authorization headers, current (rotated token files are re-read). */
  authHeaders(): Promise<Record<string, string>>;
}

/** Token files (projected ServiceAccount tokens rotate) are re-read at most this often, as client-go does. */
const TOKEN_FILE_REFRESH_MS = 60_000;

const ClusterEntry = z.looseObject({
  server: z.url(),
  "certificate-authority": z.string().optional(),
  "certificate-authority-data": z.string().optional(),
  "insecure-skip-tls-verify": z.boolean().optional(),
  "tls-server-name": z.string().optional(),
  "proxy-url": z.string().optional(),
});

const UserEntry = z.looseObject({
  token: z.string().optional(),
  tokenFile: z.string().optional(),
  "client-certificate": z.string().optional(),
  "client-certificate-data": z.string().optional(),
  "client-key": z.string().optional(),
  "client-key-data": z.string().optional(),
  "auth-provider": z
    .looseObject({ name: z.string(), config: z.record(z.string(), z.string()).optional() })
    .optional(),
});

const KubeconfigFile = z.looseObject({
  "current-context": z.string().min(1, "no current-context"),
  contexts: z.array(
    z.looseObject({
      name: z.string(),
      context: z.looseObject({ cluster: z.string(), user: z.string().optional() }),
    }),
  ),
  clusters: z.array(z.looseObject({ name: z.string(), cluster: ClusterEntry })),
  users: z.array(z.looseObject({ name: z.string(), user: UserEntry })).optional(),
});

/** User fields this module handles itself; any other auth field hands over to client-node. */
const SIMPLE_USER_FIELDS = new Set([
  "token",
  "tokenFile",
  "client-certificate",
  "client-certificate-data",
  "client-key",
  "client-key-data",
  "auth-provider",
]);

export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

export function loadClusterAccess(file: string): ClusterAccess {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new KubeconfigError(`kubeconfig ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = KubeconfigFile.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new KubeconfigError(`kubeconfig ${file}: ${i?.path.join(".") || "(root)"}: ${i?.message}`);
  }
  const cfg = parsed.data;
  const context = cfg.contexts.find((c) => c.name === cfg["current-context"])?.context;
  if (!context)
    throw new KubeconfigError(`kubeconfig ${file}: context "${cfg["current-context"]}" not found`);
  const cluster = cfg.clusters.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster) throw new KubeconfigError(`kubeconfig ${file}: cluster "${context.cluster}" not found`);
  const user = context.user ? (cfg.users?.find((u) => u.name === context.user)?.user ?? {}) : {};
  const provider = user["auth-provider"];
  const simple =
    !cluster["proxy-url"] &&
    Object.keys(user).every((k) => SIMPLE_USER_FIELDS.has(k)) &&
    (!provider || (provider.name === "tokenFile" && provider.config?.tokenFile !== undefined));
  if (simple) return new FileClusterAccess(file, cluster, user);
  const kc = import("@kubernetes/client-node").then(({ KubeConfig }) => {
    const k = new KubeConfig();
    k.loadFromFile(file);
    return k;
  });
  // An unhandled rejection before the first request would end the process without context.
  kc.catch(() => {});
  return new ClientNodeClusterAccess(kc, cluster.server);
}

/** From an already loaded client-node KubeConfig (tests and tools that have one). */
export function clusterAccessFromKubeConfig(kc: KubeConfig): ClusterAccess {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeconfigError("kubeconfig has no current cluster");
  return new ClientNodeClusterAccess(Promise.resolve(kc), cluster.server);
}

class FileClusterAccess implements ClusterAccess {
  readonly server: string;
  private readonly tls: {
    ca?: Buffer;
    cert?: Buffer;
    key?: Buffer;
    rejectUnauthorized?: boolean;
    servername?: string;
  };
  private readonly token: string | undefined;
  private readonly tokenFile: string | undefined;
  private cached: { headers: Record<string, string>; at: number } | undefined;

  constructor(file: string, cluster: z.infer<typeof ClusterEntry>, user: z.infer<typeof UserEntry>) {
    const base = dirname(file);
    const path = (p: string) => (isAbsolute(p) ? p : join(base, p));
    const material = (fileField: string | undefined, data: string | undefined): Buffer | undefined =>
      fileField ? readFileSync(path(fileField)) : data ? Buffer.from(data, "base64") : undefined;
    this.server = cluster.server.replace(/\/$/, "");
    this.tls = {
      ca: material(cluster["certificate-authority"], cluster["certificate-authority-data"]),
      cert: material(user["client-certificate"], user["client-certificate-data"]),
      key: material(user["client-key"], user["client-key-data"]),
      ...(cluster["insecure-skip-tls-verify"] ? { rejectUnauthorized: false } : {}),
      ...(cluster["tls-server-name"] ? { servername: cluster["tls-server-name"] } : {}),
    };
    this.token = user.token;
    const tokenFile = user.tokenFile ?? user["auth-provider"]?.config?.tokenFile;
    this.tokenFile = tokenFile ? path(tokenFile) : undefined;
    // Fail at start, not at the first request, when the token file is missing.
    if (this.tokenFile) this.readToken();
  }

  async dispatcher(connections: number): Promise<Dispatcher> {
    return new Agent({ connections, keepAliveTimeout: 60_000, connect: this.tls });
  }

  async authHeaders(): Promise<Record<string, string>> {
    const now = performance.now();
    if (this.cached && (!this.tokenFile || now - this.cached.at < TOKEN_FILE_REFRESH_MS))
      return this.cached.headers;
    const token = this.tokenFile ? this.readToken() : this.token;
    this.cached = { headers: token ? { authorization: `Bearer ${token}` } : {}, at: now };
    return this.cached.headers;
  }

  private readToken(): string {
    return readFileSync(this.tokenFile!, "utf8").trim();
  }
}

/** Every other kubeconfig: client-node's KubeConfig, loaded on first use. */
class ClientNodeClusterAccess implements ClusterAccess {
  readonly server: string;
  private readonly kc: Promise<KubeConfig>;
  private cached: { headers: Record<string, string>; at: number } | undefined;

  constructor(kc: Promise<KubeConfig>, server: string) {
    this.kc = kc;
    this.server = server.replace(/\/$/, "");
  }

  async dispatcher(connections: number): Promise<Dispatcher> {
    const kc = await this.kc;
    if (kc.getCurrentCluster()?.proxyUrl) {
      const { RequestContext } = await import("@kubernetes/client-node");
      const ctx = new RequestContext(this.server, "GET");
      await kc.applySecurityAuthentication(ctx);
      const d = ctx.getDispatcher();
      if (d) return d;
    }
    const o: HttpsRequestOptions = {};
    await kc.applyToHTTPSOptions(o);
    return new Agent({
      connections,
      keepAliveTimeout: 60_000,
      connect: {
        ca: o.ca,
        cert: o.cert,
        key: o.key,
        ...(o.rejectUnauthorized !== undefined ? { rejectUnauthorized: o.rejectUnauthorized } : {}),
        ...(o.servername ? { servername: o.servername } : {}),
      },
    });
  }

  /** Refreshed every 10 s so rotated tokens and exec credentials are picked up. */
  async authHeaders(): Promise<Record<string, string>> {
    const now = performance.now();
    if (this.cached && now - this.cached.at < 10_000) return this.cached.headers;
    const kc = await this.kc;
    const { RequestContext } = await import("@kubernetes/client-node");
    const ctx = new RequestContext(this.server, "GET");
    await kc.applySecurityAuthentication(ctx);
    this.cached = { headers: ctx.getHeaders(), at: now };
    return this.cached.headers;
  }
}

/**
 * The shard router: one endpoint in front of N simulator replicas (each started with
 * `shard: {index, count}` over the same world), serving the same Patronus API, fault API, event
 * log, /metrics and /healthz as a single simulator. The operator and the harness talk to it
 * exactly as to one simulator; see README.md "Sharding" for what goes where.
 */
import { z } from "zod";
import type { Tunnel } from "../../../contract/patronus-api/v1.ts";
import { HarnessError } from "../../errors.ts";
import { registerTelemetryRoutes } from "../api/routes.ts";
import { describeZodError } from "../api/validation.ts";
import { FaultClient } from "../client/faults.ts";
import { FaultEngine } from "../faults/engine.ts";
import { buildWorld, debugLog, resolveOptions } from "../index.ts";
import { LinkTable } from "../model/link-table.ts";
import { ShardMap } from "../model/ownership.ts";
import type { MeshSimulatorOptions } from "../options.ts";
import { callerUrl } from "../requests/caller.ts";
import { RequestLog } from "../requests/log.ts";
import { registerRequestRoutes } from "../requests/routes.ts";
import { RateLimiter, TokenAuth } from "../server/auth.ts";
import { createMeshServer, listeningUrls } from "../server/http.ts";
import { MeshMetrics } from "../server/metrics.ts";
import { Router } from "../server/router.ts";
import { DelayQueue } from "../timing/delay-queue.ts";
import { registerRouterApiRoutes } from "./api-routes.ts";
import { type FanFault, type FanOperation, MergedEvents } from "./events.ts";
import { registerRouterFaultRoutes } from "./fault-routes.ts";
import { CompositeIds } from "./ids.ts";
import { registerRouterPatronusRsRoutes } from "./patronus-rs-routes.ts";
import type { ShardRouterState } from "./state.ts";
import { TelemetryFeeds } from "./telemetry-feeds.ts";
import { TelemetryMerge } from "./telemetry-merge.ts";
import { ReplicaClient } from "./upstream.ts";

export const ShardRouterInput = z.strictObject({
  /** Base URLs of the replicas, shard 0 first; each runs `shard: {index, count: replicas.length}`. */
  replicas: z
    .array(z.url({ protocol: /^https?$/ }))
    .min(1)
    .max(1024),
  /** How long to wait for every shard's first telemetry snapshot. */
  readyTimeoutMs: z.number().int().min(100).default(30_000),
});

export interface ShardRouterOptions extends Omit<MeshSimulatorOptions, "shard"> {
  replicas: string[];
  readyTimeoutMs?: number;
  token: string;
}

export interface ShardRouter {
  url: string;
  apiUrl: string;
  callerUrl(caller: string): string;
  token: string;
  faults: FaultClient;
  events: MergedEvents;
  /** Client requests as the router received them (each once, at the front). */
  requests: RequestLog;
  shards: ShardMap;
  stop(): Promise<void>;
}

const KEEP_OPERATIONS = 10_000;

export async function startShardRouter(input: ShardRouterOptions): Promise<ShardRouter> {
  const { replicas: urls, readyTimeoutMs, ...simulatorInput } = input;
  const parsed = ShardRouterInput.safeParse({ replicas: urls, readyTimeoutMs });
  if (!parsed.success) {
    const { field, message } = describeZodError(parsed.error);
    throw new HarnessError(`invalid shard router option ${field}: ${message}`);
  }
  const options = await resolveOptions(simulatorInput);
  const world = await buildWorld(options);
  const token = input.token;
  const replicas = parsed.data.replicas.map((u, i) => new ReplicaClient(i, u, token));
  const shards = new ShardMap(
    world.sites.map((s) => s.name),
    replicas.length,
  );
  const merge = new TelemetryMerge(replicas.length, options.telemetryRetain);
  const faultIds = new CompositeIds<FanFault>(KEEP_OPERATIONS);
  const operations = new CompositeIds<FanOperation>(KEEP_OPERATIONS);
  const events = new MergedEvents(replicas, faultIds, operations, merge, options.eventLogCapacity);
  let faultSeq = 0;
  let opSeq = 0;
  const meshes = new Map<string, Map<string, Tunnel>>();
  if (options.preload) meshes.set(options.meshName, new Map(world.tunnels.map((t) => [t.id, t])));
  const state: ShardRouterState = {
    replicas,
    shards,
    operations,
    faults: faultIds,
    meshes,
    events,
    nextOperationId: () => `op-${String(++opSeq).padStart(6, "0")}`,
    nextFaultId: () => `fault-${++faultSeq}`,
  };
  const queue = new DelayQueue();
  // Only Patronus API faults act here (on the front the operator talks to); it knows no links.
  const local = new FaultEngine(new LinkTable(world.seed), queue, events.log, {
    onLinksChanged: () => {},
    dropStreams: () => merge.publisher.dropAll(),
    countTunnels: () => 0,
    nextId: state.nextFaultId,
  });

  const totals = { sites: 0, tunnels: 0 };
  const refreshTotals = async () => {
    const health = await Promise.all(replicas.map((r) => r.expect("GET", "/healthz", undefined, [200])));
    totals.sites = health.reduce((n, h) => n + Number((h.body as { sites: number }).sites), 0);
    totals.tunnels = health.reduce((n, h) => n + Number((h.body as { tunnels: number }).tunnels), 0);
  };
  const router = new Router();
  const metrics = new MeshMetrics({
    sites: () => totals.sites,
    tunnels: () => totals.tunnels,
    modeledTunnels: () => merge.size,
    subscribers: () => merge.publisher.subscribers.size,
    cursor: () => merge.publisher.cursor,
    activeFaults: () => local.list().length,
    ticks: () => 0,
  });
  router.add("open", "GET", "/healthz", async () => {
    // Liveness of the router itself: a replica restarting must not get the router restarted too
    // (it would lose its cursor space and policies), so the sizes are best effort.
    await refreshTotals().catch(() => {});
    return {
      status: 200,
      body: { status: "ok", sites: totals.sites, tunnels: totals.tunnels, cursor: merge.publisher.cursor },
    };
  });
  router.add("open", "GET", "/metrics", async (ctx) => {
    await refreshTotals().catch(() => {});
    const text = await metrics.registry.metrics();
    ctx.res.writeHead(200, { "content-type": metrics.registry.contentType });
    ctx.res.end(text);
    return undefined;
  });
  if (options.dialect === "patronus-rs") registerRouterPatronusRsRoutes(router, state, world);
  else registerRouterApiRoutes(router, state);
  registerTelemetryRoutes(router, {
    publisher: merge.publisher,
    snapshot: () => merge.snapshot(),
    events: events.log,
    keepaliveMs: options.keepaliveMs,
    streamRefusedUntil: () => local.api.streamRefusedUntil,
  });
  registerRouterFaultRoutes(router, state, local);
  // The router is the front every client talks to: its log holds each client call once, with the
  // caller, as the replicas' logs (which see the caller passed on) would hold it again.
  const requests = new RequestLog(options.requestLogCapacity);
  registerRequestRoutes(router, requests);

  const onError = (err: unknown, where: string) =>
    console.error(`mesh shard router: ${where}: ${err instanceof Error ? err.message : String(err)}`);
  const feeds = new TelemetryFeeds(replicas, merge, (message) => onError(new Error(message), "upstream"));
  const cleanup = async () => {
    feeds.stop();
    queue.stop();
    merge.publisher.endAll();
    await Promise.all(replicas.map((r) => r.close().catch(() => {})));
  };
  feeds.start();
  try {
    await feeds.ready(parsed.data.readyTimeoutMs);
  } catch (err) {
    await cleanup();
    throw new HarnessError(`mesh shard router: ${(err as Error).message}`, {
      fix: "check that every replica runs with --shard I/N over the same world and token",
    });
  }

  const server = createMeshServer({
    router,
    auth: new TokenAuth([token, ...options.extraTokens]),
    limiter: new RateLimiter(options.rateLimit),
    faults: local,
    metrics,
    requests,
    apiToken: options.dialect === "reference",
    bodyLimitBytes: options.bodyLimitBytes,
    onError,
    ...debugLog(options),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (err) {
    await cleanup();
    throw new HarnessError(
      `mesh shard router cannot listen on ${options.host}:${options.port}: ${(err as Error).message}`,
      { fix: "pick another --port (0 picks a free one)" },
    );
  }
  const { url, apiUrl } = listeningUrls(server);
  let stopped: Promise<void> | undefined;
  return {
    url,
    apiUrl,
    callerUrl: (caller) => callerUrl(url, caller),
    token,
    faults: new FaultClient({ url, token }),
    events,
    requests,
    shards,
    stop() {
      stopped ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await cleanup();
        await closed;
      })();
      return stopped;
    },
  };
}

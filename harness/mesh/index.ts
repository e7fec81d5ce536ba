/**
 * The mesh simulator as a library: `startMeshSimulator(options)` serves the Patronus API, the fault
 * API, the event log, /metrics and /healthz on one loopback port and returns a handle to drive and
 * stop it. The process form (`patronus-bench mesh`) is a thin wrapper around this.
 */
import { randomBytes } from "node:crypto";
import { HarnessError } from "../errors.ts";
import { registerPatronusRsRoutes } from "./api/patronus-rs-routes.ts";
import { registerApiRoutes, registerTelemetryRoutes, telemetrySourceOf } from "./api/routes.ts";
import { describeZodError } from "./api/validation.ts";
import { FaultClient } from "./client/faults.ts";
import type { EventLog } from "./events/log.ts";
import { registerFaultRoutes } from "./faults/routes.ts";
import { generateWorld, type World } from "./model/world.ts";
import { MeshSimulatorOptions, type ResolvedOptions } from "./options.ts";
import { callerUrl } from "./requests/caller.ts";
import { RequestLog } from "./requests/log.ts";
import { registerRequestRoutes } from "./requests/routes.ts";
import { RateLimiter, TokenAuth } from "./server/auth.ts";
import { createMeshServer, listeningUrls } from "./server/http.ts";
import { MeshMetrics } from "./server/metrics.ts";
import { Router } from "./server/router.ts";
import { registerShardRoutes } from "./shard/routes.ts";
import { Simulation } from "./simulation.ts";
import { loadTopologyFile, worldFromTopologyFile } from "./topology/file.ts";

export { FaultClient } from "./client/faults.ts";
export type { MeshEvent, MeshEventKind } from "./events/log.ts";
export { MeshSimulatorOptions } from "./options.ts";
export { callerUrl } from "./requests/caller.ts";

export interface MeshSimulator {
  /** Base URL, e.g. http://127.0.0.1:41234 (the Patronus API is under /api/v1). */
  url: string;
  apiUrl: string;
  /** The base URL a client named `caller` should be given (its requests are attributed to it). */
  callerUrl(caller: string): string;
  token: string;
  faults: FaultClient;
  events: EventLog;
  /** Patronus API requests of the clients under test, by caller. */
  requests: RequestLog;
  world: World;
  /** In-process access to the model, for tests and benchmarks. */
  simulation: Simulation;
  stop(): Promise<void>;
}

export async function resolveOptions(input: MeshSimulatorOptions): Promise<ResolvedOptions> {
  const parsed = MeshSimulatorOptions.safeParse(input);
  if (!parsed.success) {
    const { field, message } = describeZodError(parsed.error);
    throw new HarnessError(`invalid mesh simulator option ${field}: ${message}`);
  }
  return parsed.data;
}

export async function buildWorld(o: ResolvedOptions): Promise<World> {
  if (o.topologyFile) return worldFromTopologyFile(await loadTopologyFile(o.topologyFile), o.seed);
  try {
    return generateWorld({
      sites: o.sites,
      regions: o.regions,
      hubsPerRegion: o.hubsPerRegion,
      topology: o.topology,
      seed: o.seed ?? 1,
    });
  } catch (err) {
    throw new HarnessError(`cannot generate the mesh world: ${(err as Error).message}`, { cause: err });
  }
}

export async function startMeshSimulator(input: MeshSimulatorOptions = {}): Promise<MeshSimulator> {
  const options = await resolveOptions(input);
  const world = await buildWorld(options);
  const token = options.token ?? randomBytes(24).toString("base64url");
  const sim = new Simulation(world, options);

  const router = new Router();
  const metrics = new MeshMetrics({
    sites: () => sim.sites.size,
    tunnels: () => sim.tunnels.size,
    modeledTunnels: () => sim.tunnels.modeledSize,
    subscribers: () => sim.publisher.subscribers.size,
    cursor: () => sim.publisher.cursor,
    activeFaults: () => sim.faults.list().length,
    ticks: () => sim.engine.ticks,
  });
  router.add("open", "GET", "/healthz", () => ({
    status: 200,
    body: {
      status: "ok",
      sites: sim.sites.size,
      tunnels: sim.tunnels.modeledSize,
      cursor: sim.publisher.cursor,
    },
  }));
  router.add("open", "GET", "/metrics", async (ctx) => {
    const text = await metrics.registry.metrics();
    ctx.res.writeHead(200, { "content-type": metrics.registry.contentType });
    ctx.res.end(text);
    return undefined;
  });
  if (options.dialect === "patronus-rs") registerPatronusRsRoutes(router, sim);
  else registerApiRoutes(router, sim);
  registerTelemetryRoutes(router, telemetrySourceOf(sim));
  registerFaultRoutes(router, sim);
  const requests = new RequestLog(options.requestLogCapacity);
  registerRequestRoutes(router, requests);
  if (options.shard) registerShardRoutes(router, sim);

  const server = createMeshServer({
    router,
    auth: new TokenAuth([token, ...options.extraTokens]),
    limiter: new RateLimiter(options.rateLimit),
    faults: sim.faults,
    metrics,
    requests,
    apiToken: options.dialect === "reference",
    bodyLimitBytes: options.bodyLimitBytes,
    onError: (err, where) =>
      console.error(`mesh simulator: ${where}: ${err instanceof Error ? err.stack : String(err)}`),
    ...debugLog(options),
  });
  sim.start();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (err) {
    sim.stop();
    throw new HarnessError(
      `mesh simulator cannot listen on ${options.host}:${options.port}: ${(err as Error).message}`,
      {
        fix: "pick another --port (0 picks a free one)",
      },
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
    events: sim.events,
    requests,
    world,
    simulation: sim,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        sim.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

export function debugLog(options: ResolvedOptions): { onDebug?: (message: string) => void } {
  return options.logLevel === "debug" ? { onDebug: (message) => console.error(message) } : {};
}

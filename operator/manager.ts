/**
 * The controller manager: builds the shared pieces (clients, informers, telemetry), starts the
 * informers on every replica (standbys keep warm caches), and starts the controllers and the
 * telemetry stream only while this replica is the leader. Losing leadership ends the process
 * (as controller-runtime does): a replica that may have stale intentions must not keep writing.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Config } from "./config/flags.ts";
import { createInformers, type OperatorContext } from "./controllers/context.ts";
import { createMeshController } from "./controllers/mesh/controller.ts";
import { createPathController } from "./controllers/path/controller.ts";
import { TelemetryCache } from "./controllers/path/telemetry-cache.ts";
import { createPolicyController } from "./controllers/policy/controller.ts";
import { createSiteController } from "./controllers/site/controller.ts";
import { PatronusClient } from "./patronus/client.ts";
import { createPatronusMetrics } from "./patronus/metrics.ts";
import { TelemetryStream } from "./patronus/telemetry-stream.ts";
import type { Controller } from "./runtime/controller/controller.ts";
import { EventRecorder } from "./runtime/events/recorder.ts";
import { loadClusterAccess } from "./runtime/kube/cluster-access.ts";
import { RestClient } from "./runtime/kube/rest-client.ts";
import { LeaderElector } from "./runtime/leaderelection/elector.ts";
import { createMetrics } from "./runtime/metrics/registry.ts";
import { type HealthServer, startHealthServer } from "./runtime/metrics/server.ts";
import { TokenBucket } from "./runtime/ratelimit/token-bucket.ts";

export class Manager {
  private readonly config: Config;
  private readonly log: Logger;
  private readonly ctx: OperatorContext;
  private readonly controllers: Controller[];
  private readonly stream: TelemetryStream;
  private readonly elector: LeaderElector | undefined;
  private server: HealthServer | undefined;
  private leading = false;
  private stopping = false;
  readonly identity: string;

  constructor(config: Config, logger: Logger) {
    this.config = config;
    this.log = logger;
    const metrics = createMetrics();
    const patronusMetrics = createPatronusMetrics(metrics.registry);
    const kc = loadClusterAccess(config.kubeconfig);
    const limiter = new TokenBucket(config.qps, config.burst);
    // In-flight bounds as well as a rate: requests beyond what the apiserver serves at once only
    // queue there, in front of everything else of this client, the leader's lease renewals
    // included. 32 + 16 is about what the operator kept in flight before Path writes had a pool
    // of their own; more bought no throughput on 2 loaded cores and cost lease renewals.
    const wire = {
      wireFormat: config.kubeApiContentType === "application/cbor" ? ("cbor" as const) : ("json" as const),
      onWireFormatFallback: (err: Error) =>
        logger.warn(
          { err: err.message },
          "the apiserver does not serve CBOR (feature gate CBORServingAndStorage): writing JSON",
        ),
    };
    // The elector comes first: the controllers' clients write only while it allows (fencing).
    let elector: LeaderElector | undefined;
    if (config.leaderElect) {
      // Its own client and bucket: a saturated controller budget must never delay a renewal.
      const electionRest = new RestClient(kc, new TokenBucket(5, 10), metrics);
      const leaseLabel = { name: config.leaderElectId };
      metrics.leaderStatus.set(leaseLabel, 0);
      elector = new LeaderElector({
        rest: electionRest,
        namespace: config.leaderElectNamespace,
        name: config.leaderElectId,
        identity: config.identity ?? defaultIdentity(),
        timings: {
          leaseDurationMs: config.leaderElectLeaseDuration,
          renewDeadlineMs: config.leaderElectRenewDeadline,
          retryPeriodMs: config.leaderElectRetryPeriod,
        },
        logger,
        onStatus: (leading) => metrics.leaderStatus.set(leaseLabel, leading ? 1 : 0),
        fencing: config.leaderElectFencing,
      });
    }
    this.elector = elector;
    const fence = elector && config.leaderElectFencing ? { fence: elector.fence } : {};
    const rest = new RestClient(kc, limiter, metrics, { connections: 32, ...wire, ...fence });
    this.identity = elector?.identity ?? config.identity ?? defaultIdentity();
    const token = readFileSync(config.patronusTokenFile, "utf8").trim();
    const patronus = new PatronusClient({
      baseUrl: config.patronusUrl,
      token,
      metrics: patronusMetrics,
      timeoutMs: config.patronusTimeoutMs,
      maxRetries: config.patronusMaxRetries,
      ...fence,
    });
    const telemetry = new TelemetryCache();
    this.ctx = {
      namespace: config.namespace,
      rest,
      pathRest: new RestClient(kc, limiter, metrics, { connections: 16, ...wire, ...fence }),
      patronus,
      patronusMetrics,
      metrics,
      logger,
      telemetry,
      informers: createInformers(rest, config.namespace, metrics, logger),
      recorder: new EventRecorder({
        rest,
        controller: "sdwan.patronus.io/operator",
        instance: this.identity,
        metrics,
        logger,
        limiter: new TokenBucket(config.eventQps, config.eventBurst),
      }),
    };
    const settings = {
      concurrency: config.concurrency,
      reconcileDelayMs: config.reconcileDelayMs,
      reconcileCpuMs: config.reconcileCpuMs,
      workqueueQps: config.workqueueQps,
      workqueueBurst: config.workqueueBurst,
    };
    this.controllers = [
      createSiteController(this.ctx, settings),
      createMeshController(this.ctx, settings),
      createPathController(this.ctx, {
        ...settings,
        concurrency: config.pathConcurrency,
        statusQps: config.pathStatusQps,
        statusBurst: config.pathStatusBurst,
      }),
      createPolicyController(this.ctx, settings),
    ];
    this.stream = new TelemetryStream({
      baseUrl: config.patronusUrl,
      authorization: patronus.authorization,
      listener: telemetry,
      metrics: patronusMetrics,
      logger: logger.child({ component: "telemetry" }),
    });
  }

  /** Runs until shutdown; resolves with the exit code. */
  async run(): Promise<number> {
    const { informers, metrics } = this.ctx;
    this.server = await startHealthServer(
      metrics.registry,
      this.config.metricsBindAddress,
      this.config.metricsPort,
      () => {
        const unsynced = Object.values(informers)
          .filter((i) => !i.hasSynced)
          .map((i) => i.resource.plural);
        return unsynced.length
          ? { ok: false, detail: `caches not synced: ${unsynced.join(", ")}` }
          : { ok: true, detail: "ok" };
      },
    );
    this.log.info({ url: this.server.url, identity: this.identity }, "metrics server listening");
    for (const inf of Object.values(informers)) inf.start();
    await Promise.all(Object.values(informers).map((i) => i.waitForSync()));
    this.log.info("caches synced");
    if (this.stopping) return this.done.promise;
    if (!this.elector) {
      this.startLeading();
      return this.done.promise;
    }
    if (!(await this.elector.acquire())) return this.done.promise;
    this.startLeading();
    const end = await this.elector.holdLeadership();
    if (end === "lost" && !this.stopping) {
      // As controller-runtime: no graceful shutdown once the lease is lost. In-flight reconciles
      // act on intent that another replica may own by now; the process exits at once and its
      // supervisor (kubelet, or the harness) starts a fresh one that campaigns again.
      this.stopping = true;
      this.done.resolve(1);
    }
    return this.done.promise;
  }

  private readonly done = Promise.withResolvers<number>();

  get isLeader(): boolean {
    return this.leading;
  }

  private startLeading(): void {
    this.leading = true;
    this.stream.start();
    for (const c of this.controllers) c.start();
    this.log.info({ identity: this.identity }, "started controllers");
  }

  private async stopWork(): Promise<void> {
    await this.stream.stop();
    await Promise.race([
      Promise.all(this.controllers.map((c) => c.stop())),
      new Promise((r) => setTimeout(r, 10_000).unref()),
    ]);
    this.ctx.recorder.close();
  }

  /** SIGTERM: stop reconciling, release the lease so a standby takes over at once, stop informers. */
  async shutdown(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info("shutting down");
    this.elector?.stop();
    await this.stopWork();
    await this.elector?.release();
    await Promise.all(Object.values(this.ctx.informers).map((i) => i.stop()));
    await this.ctx.patronus.close();
    await this.server?.close();
    this.done.resolve(0);
  }
}

function defaultIdentity(): string {
  return `${hostname()}_${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
}

/**
 * The embedded cluster: real etcd, kube-apiserver and kube-controller-manager processes on
 * loopback. etcd and the apiserver start together (the apiserver retries until etcd answers),
 * which is most of why a cached start fits in a few seconds.
 */

import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import { HarnessError } from "../../errors.ts";
import { type ExitInfo, type ManagedProcess, onExitCleanup, ProcessSet } from "../../process/supervisor.ts";
import { describeIssues } from "../../scenario/issues.ts";
import { clusterCapabilities } from "../capabilities.ts";
import { writeKubeconfig } from "../kubeconfig-file.ts";
import type { ClusterHandle, ComponentTiming, RestartableComponent } from "../provider.ts";
import { type Component, requireBinaries } from "./binaries.ts";
import { apiserverArgs, controllerManagerArgs, etcdArgs, type Layout } from "./components.ts";
import { get, lastErrorLine, type TlsClient, waitHealthy } from "./health.ts";
import { EmbeddedKnobs, type EmbeddedKnobsInput } from "./knobs.ts";
import { Ledger, sweepLeftovers } from "./leftovers.ts";
import { createPki, type PkiFiles } from "./pki.ts";
import { assertPortFree, freePort } from "./ports.ts";

export interface EmbeddedOptions {
  /** Logs and kubeconfigs go here; a temp dir (removed on stop) when absent. */
  runDir?: string;
  knobs?: EmbeddedKnobsInput;
  log?: (line: string) => void;
  /** Applied as soon as the apiserver serves, before it reports ready (see appliedEarly). */
  earlyObjects?: readonly KubernetesObject[];
}

/**
 * SIGTERM → SIGKILL grace of an in-place restart. kube-apiserver's own shutdown closes watches
 * after 2 s (--shutdown-watch-termination-grace-period) and then drains in-flight requests; on a
 * machine busy with other work (the full test suite) that sequence took over 5 s once in seven
 * suite runs, so it gets more room. A clean stop takes ~2–3 s either way; the grace
 * only bounds a stop that hangs.
 */
const RESTART_STOP_GRACE_MS: Record<RestartableComponent, number> = {
  etcd: 5000,
  "kube-apiserver": 15_000,
};

export class EmbeddedCluster implements ClusterHandle {
  readonly provider = "embedded" as const;
  readonly capabilities = clusterCapabilities("embedded");
  readonly disposable = true;
  readonly kubeconfigPath: string;
  readonly versions: { kubernetes: string; etcd: string };
  readonly timings: ComponentTiming[] = [];
  readonly metadata: Record<string, unknown>;
  readonly endpoints: { apiserver: string; etcdMetrics: string };
  /** How each in-place restart's stop ended: a SIGKILL means the component ignored SIGTERM's grace. */
  readonly restarts: { component: RestartableComponent; stopped: ExitInfo }[] = [];
  /** Resolves once the controller manager works (it created the default ServiceAccount). */
  controllerManagerReady: Promise<void> = Promise.resolve();

  private readonly procs = new ProcessSet();
  private readonly running = new Map<Component, ManagedProcess>();
  private readonly binaries: Record<Component, string>;
  private readonly layout: Layout;
  private readonly knobs: EmbeddedKnobs;
  private pki!: PkiFiles;
  private tls!: TlsClient;
  private readonly pkiReady: Promise<PkiFiles>;
  /** Loaded while the apiserver boots: importing the client costs a second on 2 cores. */
  private k8s!: typeof import("@kubernetes/client-node");
  private readonly ownedDirs: string[];
  private readonly ledger: Ledger;
  private readonly log: (line: string) => void;
  private stopped = false;
  private readonly unregisterExitCleanup: () => void;
  private readonly earlyObjects: readonly KubernetesObject[];
  /** The early objects applied while the apiserver runs its post-start hooks (see appliedEarly). */
  private earlyApplied: Promise<void> | undefined;

  private constructor(init: {
    binaries: Record<Component, string>;
    versions: Record<Component, string>;
    layout: Layout;
    knobs: EmbeddedKnobs;
    pki: Promise<PkiFiles>;
    ownedDirs: string[];
    ledger: Ledger;
    log: (line: string) => void;
    source: string;
    earlyObjects: readonly KubernetesObject[];
  }) {
    this.earlyObjects = init.earlyObjects;
    this.binaries = init.binaries;
    this.layout = init.layout;
    this.knobs = init.knobs;
    this.pkiReady = init.pki;
    this.ownedDirs = init.ownedDirs;
    this.ledger = init.ledger;
    this.log = init.log;
    this.unregisterExitCleanup = onExitCleanup(() => {
      for (const dir of this.ownedDirs) rmSync(dir, { recursive: true, force: true });
    });
    this.kubeconfigPath = init.layout.adminKubeconfig;
    this.versions = { kubernetes: init.versions["kube-apiserver"], etcd: init.versions.etcd };
    this.endpoints = {
      apiserver: `https://127.0.0.1:${init.layout.apiserverPort}`,
      etcdMetrics: `http://127.0.0.1:${init.layout.etcdMetricsPort}/metrics`,
    };
    this.metadata = {
      binariesFrom: init.source,
      etcdFsyncDisabled: init.knobs.etcdUnsafeNoFsync,
      etcdDataOnTmpfs: init.layout.etcdData.startsWith("/dev/shm"),
      knobs: init.knobs,
    };
  }

  static async start(options: EmbeddedOptions = {}): Promise<EmbeddedCluster> {
    const log = options.log ?? (() => {});
    const parsedKnobs = EmbeddedKnobs.safeParse(options.knobs ?? {});
    if (!parsedKnobs.success) {
      const what = describeIssues(parsedKnobs.error, options.knobs);
      throw new HarnessError(`invalid embedded cluster knobs: ${what}`, {
        fix: "see harness/cluster/embedded/knobs.ts for each knob and its range",
      });
    }
    const knobs = parsedKnobs.data;
    const bins = requireBinaries();
    await sweepLeftovers(log);

    const id = `${process.pid}-${randomBytes(3).toString("hex")}`;
    const ledger = new Ledger(id);
    const ownedDirs: string[] = [];
    const runDir = options.runDir ?? (await mkdtemp(join(tmpdir(), "patronus-bench-")));
    if (!options.runDir) ownedDirs.push(runDir);
    const clusterDir = join(runDir, "cluster");
    const certDir = join(clusterDir, "pki");
    const logDir = join(clusterDir, "logs");
    await mkdir(certDir, { recursive: true });
    await mkdir(logDir, { recursive: true });
    ownedDirs.push(certDir);
    const dataRoot = knobs.etcdOnTmpfs && existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
    const etcdData = await mkdtemp(join(dataRoot, "patronus-bench-etcd-"));
    ownedDirs.push(etcdData);
    for (const dir of ownedDirs) await ledger.record({ dir });

    if (knobs.apiserverPort) await assertPortFree(knobs.apiserverPort, "kube-apiserver");
    if (knobs.etcdPort) await assertPortFree(knobs.etcdPort, "etcd");
    const layout: Layout = {
      etcdData,
      etcdPort: knobs.etcdPort || (await freePort()),
      etcdPeerPort: await freePort(),
      etcdMetricsPort: await freePort(),
      apiserverPort: knobs.apiserverPort || (await freePort()),
      certDir,
      adminKubeconfig: join(clusterDir, "admin.kubeconfig"),
      logDir,
    };
    const pki = createPki(certDir);
    // Settled either way by boot(); a rejection here must not go unhandled before that.
    pki.catch(() => {});
    const cluster = new EmbeddedCluster({
      binaries: bins.paths,
      versions: bins.versions,
      layout,
      knobs,
      pki,
      ownedDirs,
      ledger,
      log,
      source: bins.source,
      earlyObjects: options.earlyObjects ?? [],
    });
    try {
      await cluster.boot();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /**
   * Free ports are found by binding and releasing them, so another process can take one before
   * our component binds it (seen with several clusters starting at once). Such a collision
   * restarts the boot on fresh ports, at most twice; a port the user fixed is never changed.
   */
  private async boot(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.bootOnce();
        return;
      } catch (err) {
        const collided = /address already in use/i.test((err as Error).message);
        if (!collided || attempt >= 3 || this.knobs.apiserverPort || this.knobs.etcdPort) throw err;
        this.log(`a port was taken by another process during start-up; retrying on new ports`);
        for (const p of this.running.values()) await p.stop();
        this.running.clear();
        this.layout.etcdPort = await freePort();
        this.layout.etcdPeerPort = await freePort();
        this.layout.etcdMetricsPort = await freePort();
        this.layout.apiserverPort = await freePort();
        this.endpoints.apiserver = `https://127.0.0.1:${this.layout.apiserverPort}`;
        this.endpoints.etcdMetrics = `http://127.0.0.1:${this.layout.etcdMetricsPort}/metrics`;
      }
    }
  }

  private async bootOnce(): Promise<void> {
    const t0 = performance.now();
    const etcd = await this.startComponent("etcd");
    this.pki = await this.pkiReady;
    this.tls = { ca: this.pki.pem.ca, cert: this.pki.pem.adminCert, key: this.pki.pem.adminKey };
    const apiserver = await this.startComponent("kube-apiserver");
    this.k8s = await import("@kubernetes/client-node");
    await writeKubeconfig(this.layout.adminKubeconfig, {
      server: this.endpoints.apiserver,
      caPem: this.pki.pem.ca,
      user: { clientCertPem: this.pki.pem.adminCert, clientKeyPem: this.pki.pem.adminKey },
      name: "patronus-bench-admin",
    });
    // The apiserver serves requests about a second before /readyz turns green (post-start hooks
    // still running). Creating CRDs in that window takes their install off the critical path
    // and starts their Established clock early — see appliedEarly().
    if (this.earlyObjects.length > 0) {
      this.earlyApplied = this.applyOnceServing(apiserver);
      this.earlyApplied.catch(() => {});
    }
    await this.waitComponent("etcd", etcd, t0);
    await this.waitComponent("kube-apiserver", apiserver, t0);
    const kcmStart = performance.now();
    await this.startComponent("kube-controller-manager");
    this.controllerManagerReady = this.waitControllerManager(kcmStart);
    // Observed, never left unhandled: callers that need GC await it explicitly.
    this.controllerManagerReady.catch(() => {});
  }

  private async startComponent(c: Component): Promise<ManagedProcess> {
    const args =
      c === "etcd"
        ? etcdArgs(this.layout, this.knobs)
        : c === "kube-apiserver"
          ? apiserverArgs(this.layout, this.knobs, this.pki)
          : controllerManagerArgs(this.layout, this.pki);
    const proc = this.procs.start(c, this.binaries[c], args, {
      logFile: join(this.layout.logDir, `${c}.log`),
      env: c === "kube-controller-manager" ? undefined : { GOGC: String(this.knobs.controlPlaneGoGC) },
    });
    this.running.set(c, proc);
    await this.ledger.record({ pid: proc.pid });
    return proc;
  }

  private async waitComponent(c: Component, proc: ManagedProcess, since: number): Promise<void> {
    const url =
      c === "etcd" ? `http://127.0.0.1:${this.layout.etcdPort}/health` : `${this.endpoints.apiserver}/readyz`;
    await waitHealthy(proc, url, {
      tls: c === "etcd" ? undefined : this.tls,
      timeoutMs: this.knobs.startTimeoutSeconds * 1000,
      logFile: join(this.layout.logDir, `${c}.log`),
    });
    this.timings.push({ component: c, seconds: (performance.now() - since) / 1000 });
    this.log(`${c} ready in ${((performance.now() - since) / 1000).toFixed(2)}s`);
  }

  private async waitControllerManager(since: number): Promise<void> {
    const core = this.kubeConfig().makeApiClient(this.k8s.CoreV1Api);
    const deadline = since + this.knobs.startTimeoutSeconds * 1000;
    const proc = this.running.get("kube-controller-manager")!;
    while (performance.now() < deadline) {
      if (!proc.running) {
        throw new HarnessError(
          `kube-controller-manager exited during start-up: ${lastErrorLine(proc.outputTail(60))}`,
          {
            fix: `see ${join(this.layout.logDir, "kube-controller-manager.log")}`,
          },
        );
      }
      try {
        await core.readNamespacedServiceAccount({ name: "default", namespace: "default" });
        this.timings.push({
          component: "kube-controller-manager",
          seconds: (performance.now() - since) / 1000,
        });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new HarnessError(
      `kube-controller-manager did not create the default ServiceAccount within ${this.knobs.startTimeoutSeconds}s`,
    );
  }

  kubeConfig(): KubeConfig {
    const kc = new this.k8s.KubeConfig();
    kc.loadFromFile(this.kubeconfigPath);
    return kc;
  }

  /**
   * Polls until the apiserver answers HTTP at all, then applies the early objects, retrying what
   * a starting apiserver refuses. Bounded by the start timeout; whoever gave them applies them
   * again (and reports the error properly) when this never succeeded.
   */
  private async applyOnceServing(apiserver: ManagedProcess): Promise<void> {
    const { applyObjects } = await import("../manifests.ts");
    const deadline = performance.now() + this.knobs.startTimeoutSeconds * 1000;
    while (apiserver.running && !this.stopped && performance.now() < deadline) {
      try {
        await get(`${this.endpoints.apiserver}/livez`, this.tls, 1000);
        const kc = this.kubeConfig();
        await Promise.all(this.earlyObjects.map((o) => applyObjects(kc, [o])));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error("the early objects could not be applied during start-up");
  }

  /** Whether the early objects were applied during start-up (false: apply them now). */
  async appliedEarly(): Promise<boolean> {
    if (!this.earlyApplied) return false;
    return this.earlyApplied.then(
      () => true,
      () => false,
    );
  }

  async serviceAccountKubeconfig(namespace: string, name: string): Promise<string> {
    const core = this.kubeConfig().makeApiClient(this.k8s.CoreV1Api);
    const tr = await core.createNamespacedServiceAccountToken({
      name,
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 24 * 3600 } },
    });
    const token = tr.status?.token;
    if (!token) throw new HarnessError(`no token issued for ServiceAccount ${namespace}/${name}`);
    const path = join(this.layout.certDir, `sa-${namespace}-${name}.kubeconfig`);
    await writeKubeconfig(path, {
      server: this.endpoints.apiserver,
      caPem: this.pki.pem.ca,
      user: { token },
      name: `${namespace}-${name}`,
    });
    return path;
  }

  async restartComponent(component: RestartableComponent, downMs = 0): Promise<string> {
    const proc = this.running.get(component);
    if (!proc) throw new HarnessError(`${component} is not running`);
    const stopped = await proc.stop(RESTART_STOP_GRACE_MS[component]);
    this.restarts.push({ component, stopped });
    if (stopped.signal === "SIGKILL")
      this.log(`${component} did not stop within its grace period and was killed`);
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    const t0 = performance.now();
    const next = await this.startComponent(component);
    await this.waitComponent(component, next, t0);
    return stopped.signal === "SIGKILL"
      ? `killed after its ${RESTART_STOP_GRACE_MS[component] / 1000}s stop grace, started again`
      : "stopped (SIGTERM) and started again";
  }

  pids(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [c, p] of this.running) if (p.running) out[c] = p.pid;
    return out;
  }

  /** The apiserver's /metrics, as text (admin client certificate). */
  async apiserverMetrics(): Promise<string> {
    const r = await get(`${this.endpoints.apiserver}/metrics`, this.tls, 10_000);
    return r.body;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.procs.stopAll();
    for (const dir of this.ownedDirs) await rm(dir, { recursive: true, force: true });
    await this.ledger.clear();
    this.unregisterExitCleanup();
  }
}

/**
 * An existing cluster reached through a kubeconfig, for users who outgrow one machine. The
 * harness never tears such a cluster down; it only removes what it created.
 */

import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, VersionApi } from "@kubernetes/client-node";
import { HarnessError } from "../../errors.ts";
import { clusterCapabilities } from "../capabilities.ts";
import type { ClusterHandle, ComponentTiming } from "../provider.ts";

export interface KubeconfigOptions {
  kubeconfig?: string;
  context?: string;
  runDir: string;
  /** The caller made runDir for this cluster alone: remove it (it holds tokens) on stop. */
  removeRunDirOnStop?: boolean;
  connectTimeoutMs?: number;
}

export class KubeconfigCluster implements ClusterHandle {
  readonly provider = "kubeconfig" as const;
  readonly capabilities = clusterCapabilities("kubeconfig");
  /** Someone else's cluster: a run cleans up what it made there. */
  readonly disposable = false;
  readonly kubeconfigPath: string;
  readonly versions: { kubernetes: string; etcd: string };
  readonly timings: ComponentTiming[] = [];
  readonly metadata: Record<string, unknown>;
  readonly endpoints: { apiserver: string };
  private readonly kc: KubeConfig;
  private readonly runDir: string;
  private removeRunDirOnStop = false;

  private constructor(kc: KubeConfig, path: string, runDir: string, version: string) {
    this.kc = kc;
    this.kubeconfigPath = path;
    this.runDir = runDir;
    this.versions = { kubernetes: version, etcd: "unknown" };
    this.endpoints = { apiserver: kc.getCurrentCluster()?.server ?? "" };
    this.metadata = { context: kc.getCurrentContext() };
  }

  static async connect(options: KubeconfigOptions): Promise<KubeconfigCluster> {
    const path =
      options.kubeconfig ?? process.env.KUBECONFIG ?? join(process.env.HOME ?? "", ".kube", "config");
    if (!existsSync(path)) {
      throw new HarnessError(`kubeconfig ${path} does not exist`, {
        fix: "pass --kubeconfig PATH or set KUBECONFIG",
      });
    }
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(path);
      if (options.context) kc.setCurrentContext(options.context);
    } catch (err) {
      throw new HarnessError(`cannot load kubeconfig ${path}: ${(err as Error).message}`);
    }
    const server = kc.getCurrentCluster()?.server;
    if (!server)
      throw new HarnessError(`kubeconfig ${path} has no cluster for context ${kc.getCurrentContext()}`);
    const t0 = performance.now();
    const timeout = options.connectTimeoutMs ?? 10_000;
    let version: string;
    try {
      const info = await Promise.race([
        kc.makeApiClient(VersionApi).getCode(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`no answer within ${timeout / 1000}s`)), timeout),
        ),
      ]);
      version = info.gitVersion;
    } catch (err) {
      const cause = (err as { code?: string }).code ?? (err as Error).message;
      throw new HarnessError(
        `cannot reach the cluster at ${server} (context ${kc.getCurrentContext()}): ${cause}`,
        {
          fix: "check that the cluster is running and the kubeconfig/context points at it (`kubectl cluster-info`)",
        },
      );
    }
    const cluster = new KubeconfigCluster(kc, path, options.runDir, version);
    cluster.removeRunDirOnStop = options.removeRunDirOnStop ?? false;
    cluster.timings.push({ component: "kube-apiserver", seconds: (performance.now() - t0) / 1000 });
    return cluster;
  }

  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromString(this.kc.exportConfig());
    kc.setCurrentContext(this.kc.getCurrentContext());
    return kc;
  }

  async serviceAccountKubeconfig(namespace: string, name: string): Promise<string> {
    const core = this.kc.makeApiClient(CoreV1Api);
    const tr = await core.createNamespacedServiceAccountToken({
      name,
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 24 * 3600 } },
    });
    const cluster = this.kc.getCurrentCluster()!;
    const sa = new KubeConfig();
    sa.loadFromOptions({
      clusters: [cluster],
      users: [{ name: `${namespace}-${name}`, token: tr.status?.token ?? "" }],
      contexts: [{ name: "sa", cluster: cluster.name, user: `${namespace}-${name}` }],
      currentContext: "sa",
    });
    await mkdir(this.runDir, { recursive: true });
    const path = join(this.runDir, `sa-${namespace}-${name}.kubeconfig`);
    await writeFile(path, sa.exportConfig(), { mode: 0o600 });
    return path;
  }

  async restartComponent(): Promise<string> {
    throw new HarnessError("restarting control-plane components needs a cluster the harness runs", {
      fix: "run control-plane failover scenarios with --cluster embedded or --cluster kind",
    });
  }

  pids(): Record<string, number> {
    return {};
  }

  /** Never tears the cluster down; only removes the scratch dir it was given to own. */
  async stop(): Promise<void> {
    if (this.removeRunDirOnStop) await rm(this.runDir, { recursive: true, force: true });
  }
}

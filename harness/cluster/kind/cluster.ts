/**
 * The kind provider: a kind cluster from kind-config.yaml (created, or reused when one of that
 * name exists), reached through the kubeconfig provider's code, deleted on stop unless kept or
 * reused. kube-apiserver and etcd are restarted as the kubelet restarts its static pods
 * (static-pod-restart.ts).
 */

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { execa } from "execa";
import { requirePrivilegedContainers } from "../../container/docker-engine.ts";
import { HarnessError } from "../../errors.ts";
import { fetchFromApiserver, fetchText } from "../../measure/scrape/fetch-text.ts";
import { clusterCapabilities } from "../capabilities.ts";
import { KubeconfigCluster } from "../kubeconfig/cluster.ts";
import type { ClusterHandle, ComponentTiming, RestartableComponent } from "../provider.ts";
import { KIND_CONFIG_PATH, kindClusterName, kindConfigFacts, loadKindConfig } from "./config.ts";
import { controlPlaneOf, type HostProcess, hostProcesses, processesOfPods } from "./host-processes.ts";
import {
  DEFAULT_NODE_IMAGE,
  ensureNodeImage,
  type KindCli,
  kindCli,
  nodeImageOf,
  publishedAddress,
} from "./kind-cli.ts";
import { restartStaticPod } from "./static-pod-restart.ts";

export interface KindOptions {
  runDir: string;
  /** The caller made runDir for this cluster alone: remove it (kubeconfigs, tokens) on stop. */
  removeRunDirOnStop?: boolean;
  configPath?: string;
  /** Overrides the config's cluster name. */
  name?: string;
  nodeImage?: string;
  /** Leave the cluster running on stop (it is always left when it was reused). */
  keep?: boolean;
  log?: (line: string) => void;
}

export class KindCluster implements ClusterHandle {
  readonly provider = "kind" as const;
  readonly capabilities = clusterCapabilities("kind");
  readonly timings: ComponentTiming[];
  readonly metadata: Record<string, unknown>;
  readonly endpoints: { apiserver: string; etcdMetrics?: string };
  private readonly inner: KubeconfigCluster;
  private readonly kind: KindCli;
  readonly name: string;
  private readonly deleteOnStop: boolean;
  /** The control-plane node container's full id, which its processes' cgroups name. */
  private controlPlaneNode: string | undefined;
  private controlPlane: Record<string, number> = {};
  private controlPlaneAt = -Infinity;
  /** One /proc scan serves every caller within a second (control plane, operator and mesh pods). */
  private scan: { at: number; processes: Promise<HostProcess[]> } | undefined;
  private readonly log: (line: string) => void;

  private constructor(o: {
    inner: KubeconfigCluster;
    kind: KindCli;
    name: string;
    deleteOnStop: boolean;
    timings: ComponentTiming[];
    metadata: Record<string, unknown>;
    etcdMetrics: string | undefined;
    log: (line: string) => void;
  }) {
    this.log = o.log;
    this.inner = o.inner;
    this.kind = o.kind;
    this.name = o.name;
    this.deleteOnStop = o.deleteOnStop;
    this.timings = [...o.timings, ...o.inner.timings];
    this.metadata = { ...o.inner.metadata, ...o.metadata };
    this.endpoints = { ...o.inner.endpoints, ...(o.etcdMetrics ? { etcdMetrics: o.etcdMetrics } : {}) };
  }

  static async start(o: KindOptions): Promise<KindCluster> {
    const log = o.log ?? (() => {});
    const config = await loadKindConfig(o.configPath ?? KIND_CONFIG_PATH);
    const facts = kindConfigFacts(config);
    const name = o.name ?? kindClusterName(config);
    let nodeImage = o.nodeImage ?? process.env.KIND_NODE_IMAGE ?? DEFAULT_NODE_IMAGE;
    const kind = await kindCli();
    const timings: ComponentTiming[] = [];
    const reused = (await kind.clusters()).includes(name);
    if (reused) {
      nodeImage = (await nodeImageOf(name)) ?? nodeImage;
      log(`kind: reusing cluster ${name} (${nodeImage})`);
    } else {
      await requirePrivilegedContainers();
      nodeImage = await ensureNodeImage(nodeImage, log);
      log(`kind: creating cluster ${name} from ${config.path} (${nodeImage})`);
      const t0 = performance.now();
      await kind.run([
        "create",
        "cluster",
        "--name",
        name,
        "--config",
        config.path,
        "--image",
        nodeImage,
        "--wait",
        "5m",
      ]);
      timings.push({ component: "kind-create", seconds: (performance.now() - t0) / 1000 });
    }
    await mkdir(o.runDir, { recursive: true });
    const kubeconfigPath = join(o.runDir, `kind-${name}.kubeconfig`);
    await writeFile(kubeconfigPath, await kind.kubeconfig(name), { mode: 0o600 });
    let inner: KubeconfigCluster;
    try {
      inner = await KubeconfigCluster.connect({
        kubeconfig: kubeconfigPath,
        runDir: o.runDir,
        removeRunDirOnStop: o.removeRunDirOnStop,
      });
    } catch (err) {
      if (!reused && !o.keep) await kind.run(["delete", "cluster", "--name", name]).catch(() => {});
      throw err;
    }
    const etcdAddress = facts.etcdMetricsMapping
      ? await publishedAddress(`${name}-control-plane`, 2381)
      : undefined;
    if (facts.etcdMetricsMapping && !etcdAddress)
      log(
        `kind: ${name}-control-plane does not publish etcd's metrics port 2381; etcd figures are not measured`,
      );
    const cluster = new KindCluster({
      inner,
      kind,
      name,
      deleteOnStop: !reused && !o.keep,
      timings,
      // knobs reach results.json (run.cluster.knobs): which kind and node image made the figures.
      metadata: {
        kindConfig: config.path,
        knobs: {
          kindVersion: kind.version,
          kindNodeImage: nodeImage,
          kindCluster: name,
          kindClusterReused: reused,
        },
      },
      etcdMetrics: etcdAddress ? `http://${etcdAddress}/metrics` : undefined,
      log,
    });
    const node = await execa("docker", ["inspect", "-f", "{{.Id}}", `${name}-control-plane`], {
      reject: false,
    });
    if (node.exitCode === 0) {
      cluster.controlPlaneNode = node.stdout.trim();
      await cluster.refreshControlPlane();
    }
    return cluster;
  }

  get disposable(): boolean {
    return this.deleteOnStop;
  }
  get kubeconfigPath(): string {
    return this.inner.kubeconfigPath;
  }
  get versions(): { kubernetes: string; etcd: string } {
    return this.inner.versions;
  }
  kubeConfig(): KubeConfig {
    return this.inner.kubeConfig();
  }
  serviceAccountKubeconfig(namespace: string, name: string): Promise<string> {
    return this.inner.serviceAccountKubeconfig(namespace, name);
  }
  async restartComponent(component: RestartableComponent, downMs = 0): Promise<string> {
    if (!this.controlPlaneNode)
      throw new HarnessError(
        `cannot restart ${component}: no control-plane node container ${this.name}-control-plane`,
      );
    if (downMs > 0)
      throw new HarnessError(`cannot hold ${component} down on kind: the kubelet starts it again at once`);
    this.log(
      `kind: restarting ${component} on ${this.name}-control-plane (the kubelet starts its static pod again)`,
    );
    const restart = await restartStaticPod(component, {
      node: `${this.name}-control-plane`,
      pidOf: async (c) => {
        this.scan = undefined;
        await this.refreshControlPlane();
        return this.controlPlane[c];
      },
      ready: async (c) => {
        if (c === "etcd" && this.endpoints.etcdMetrics) {
          const health = await fetchText(new URL("/health", this.endpoints.etcdMetrics).href, 1000);
          if (!/"health":\s*"true"/.test(health)) throw new Error(`etcd /health: ${health.trim()}`);
        }
        await fetchFromApiserver(this.inner.kubeConfig(), "/readyz", 1000);
      },
    });
    const how =
      `${restart.signal} to host pid ${restart.oldPid}; the kubelet started pid ${restart.newPid} ` +
      `${(restart.restartedMs / 1000).toFixed(1)}s later, serving ${(restart.readyMs / 1000).toFixed(1)}s after that`;
    this.log(`kind: ${component} back: ${how}`);
    return how;
  }
  /**
   * kube-apiserver, etcd and kube-controller-manager of the control-plane node, as host PIDs: the
   * samplers call this every interval and synchronously, so it answers from the last look and
   * looks again in the background every few seconds (the kubelet may restart a static pod).
   */
  pids(): Record<string, number> {
    if (this.controlPlaneNode && performance.now() - this.controlPlaneAt > 5000) {
      this.controlPlaneAt = performance.now();
      void this.refreshControlPlane().catch(() => {});
    }
    return this.controlPlane;
  }

  private async refreshControlPlane(): Promise<void> {
    if (!this.controlPlaneNode) return;
    this.controlPlaneAt = performance.now();
    this.controlPlane = controlPlaneOf(await this.hostProcesses(), this.controlPlaneNode);
  }

  private hostProcesses(): Promise<HostProcess[]> {
    const now = performance.now();
    if (!this.scan || now - this.scan.at > 1000) this.scan = { at: now, processes: hostProcesses() };
    return this.scan.processes;
  }

  /** The nodes are containers here, so their pods' processes are this host's. */
  /**
   * Builds the project image when this checkout's is missing (unless `build` is false: an image
   * the caller built), then puts it on the nodes (they never pull it).
   */
  async loadImage(image: string, log: (line: string) => void, build = true): Promise<void> {
    if (build) {
      const { buildImage } = await import("./up.ts");
      await buildImage(image, log);
    }
    log(`in-cluster: loading ${image} into kind cluster ${this.name}`);
    const t0 = performance.now();
    await this.kind.run(["load", "docker-image", image, "--name", this.name]);
    log(`in-cluster: image loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  async podProcesses(uids: readonly string[]): Promise<Map<string, number[]>> {
    return processesOfPods(await this.hostProcesses(), uids);
  }
  async stop(): Promise<void> {
    await this.inner.stop();
    if (this.deleteOnStop) await this.kind.run(["delete", "cluster", "--name", this.name]);
  }
}

export async function deleteKindCluster(name: string): Promise<boolean> {
  const kind = await kindCli();
  if (!(await kind.clusters()).includes(name)) return false;
  await kind.run(["delete", "cluster", "--name", name]);
  return true;
}

/**
 * The operator's integration environment: the real embedded control plane (etcd, kube-apiserver,
 * kube-controller-manager) with CRDs and RBAC installed, the real mesh simulator in-process, and
 * the operator as separate processes authenticating as its ServiceAccount.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { type ClusterHandle, startCluster } from "../../../harness/cluster/index.ts";
import {
  type MeshSimulator,
  type MeshSimulatorOptions,
  startMeshSimulator,
} from "../../../harness/mesh/index.ts";
import { installAccess, installCrds, referenceInstall } from "../../../harness/operators/install/index.ts";
import { ProcessSet } from "../../../harness/process/supervisor.ts";
import { GROUP, VERSION } from "../../../operator/api/v1alpha1/types.ts";
import { type OperatorProcess, runOperator } from "./operator-process.ts";

export const NS = "patronus-it";
export const OPERATOR_NS = "patronus-system";

export type Plural = "sites" | "meshes" | "paths" | "policies";

// biome-ignore lint/suspicious/noExplicitAny: test reads of arbitrary CR JSON
export type Obj = any;

export interface OperatorEnv {
  runDir: string;
  cluster: ClusterHandle;
  admin: KubeConfig;
  saKubeconfig: string;
  sim: MeshSimulator;
  processes: ProcessSet;
  objects: Objects;
  /** events.k8s.io Events in the test namespace. */
  events(): Promise<Obj[]>;
  startOperator(
    name: string,
    o?: { leaderElect?: boolean; args?: string[]; restartPolicy?: "Never" | "OnFailure" },
  ): Promise<OperatorProcess>;
  stop(): Promise<void>;
}

export async function startEnv(simOptions: MeshSimulatorOptions = {}): Promise<OperatorEnv> {
  const runDir = await mkdtemp(join(tmpdir(), "operator-it-"));
  const processes = new ProcessSet();
  let cluster: ClusterHandle | undefined;
  let sim: MeshSimulator | undefined;
  try {
    cluster = await startCluster({ runDir, earlyObjects: (await referenceInstall()).crds });
    await installCrds(cluster.kubeConfig(), await referenceInstall());
    await installAccess(cluster.kubeConfig(), await referenceInstall());
    const admin = cluster.kubeConfig();
    await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
    const saKubeconfig = await cluster.serviceAccountKubeconfig(OPERATOR_NS, "patronus-operator");
    sim = await startMeshSimulator({
      sites: 4,
      regions: 1,
      hubsPerRegion: 1,
      tickMs: 250,
      linkEventProbability: 0,
      ...simOptions,
    });
    const s = sim;
    const c = cluster;
    return {
      runDir,
      cluster: c,
      admin,
      saKubeconfig,
      sim: s,
      processes,
      objects: new Objects(admin),
      events: async () =>
        (await admin.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace: NS })).items,
      startOperator: (name, o = {}) =>
        runOperator({
          name,
          runDir,
          kubeconfig: saKubeconfig,
          patronusUrl: s.url,
          patronusToken: s.token,
          namespace: NS,
          leaderElect: o.leaderElect ?? false,
          ...(o.args ? { args: o.args } : {}),
          ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}),
          logLevel: "debug",
          processes,
        }),
      stop: async () => {
        await processes.stopAll(15_000);
        await s.stop();
        await c.stop();
        if (!process.env.KEEP_RUN_DIR) await rm(runDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await processes.stopAll();
    await sim?.stop();
    await cluster?.stop();
    throw err;
  }
}

/** Admin access to the custom resources, as a user of the operator would have. */
export class Objects {
  private readonly api: CustomObjectsApi;
  constructor(kc: KubeConfig) {
    this.api = kc.makeApiClient(CustomObjectsApi);
  }
  create(plural: Plural, body: object): Promise<Obj> {
    return this.api.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: NS,
      plural,
      body,
    });
  }
  async get(plural: Plural, name: string): Promise<Obj | undefined> {
    try {
      return await this.api.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: NS,
        plural,
        name,
      });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  }
  async list(plural: Plural, labelSelector?: string): Promise<Obj[]> {
    const l = await this.api.listNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: NS,
      plural,
      labelSelector,
    });
    return l.items;
  }
  delete(plural: Plural, name: string): Promise<Obj> {
    return this.api.deleteNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: NS,
      plural,
      name,
    });
  }
  mergePatch(plural: Plural, name: string, body: object): Promise<Obj> {
    return this.api.patchNamespacedCustomObject(
      { group: GROUP, version: VERSION, namespace: NS, plural, name, body },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
  }
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false | null>,
  timeoutMs = 30_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false && v !== null) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function condition(
  obj: Obj,
  type: string,
): { status: string; reason: string; message: string } | undefined {
  return obj?.status?.conditions?.find((c: { type: string }) => c.type === type);
}

/** Sums every sample of a metric (all label sets) from a Prometheus text exposition. */
export async function scrape(
  metricsUrl: string,
): Promise<{ text: string; sum(name: string, labels?: Record<string, string>): number }> {
  const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(5000) })).text();
  return {
    text,
    sum(name, labels = {}) {
      let total = 0;
      for (const line of text.split("\n")) {
        if (line.startsWith("#")) continue;
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
        if (!m || m[1] !== name) continue;
        const lbl = m[2] ?? "";
        if (Object.entries(labels).every(([k, v]) => lbl.includes(`${k}="${v}"`))) total += Number(m[3]);
      }
      return total;
    },
  };
}

export function site(
  name: string,
  opts: { hub?: boolean; labels?: Record<string, string>; region?: string } = {},
): object {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: "Site",
    metadata: { name, labels: opts.labels ?? {} },
    spec: {
      region: opts.region ?? "eu",
      hub: opts.hub ?? false,
      links: [
        { name: "mpls0", type: "mpls", bandwidthMbps: 100, cost: 10 },
        { name: "inet0", type: "internet", bandwidthMbps: 500, cost: 1 },
      ],
    },
  };
}

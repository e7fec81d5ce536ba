/**
 * kind-config.yaml, read and checked the way the provider relies on it: a kind v1alpha4 Cluster
 * whose kubeadm patches (YAML inside strings) are parsed too, so a typo in an apiserver flag or the
 * kubelet's failCgroupV1 is caught here rather than by a 3-minute `kind create cluster`.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { HarnessError } from "../../errors.ts";
import { REPO_ROOT } from "../../paths.ts";

export const KIND_CONFIG_PATH = join(REPO_ROOT, "kind-config.yaml");

const PortMapping = z.strictObject({
  containerPort: z.number().int().min(1).max(65535),
  hostPort: z.number().int().min(0).max(65535).optional(),
  listenAddress: z.string().optional(),
  protocol: z.enum(["TCP", "UDP", "SCTP"]).optional(),
});

const Node = z.strictObject({
  role: z.enum(["control-plane", "worker"]),
  image: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  kubeadmConfigPatches: z.array(z.string()).optional(),
  extraPortMappings: z.array(PortMapping).optional(),
  extraMounts: z.array(z.record(z.string(), z.unknown())).optional(),
});

export const KindCluster = z.strictObject({
  kind: z.literal("Cluster"),
  apiVersion: z.literal("kind.x-k8s.io/v1alpha4"),
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label"),
  networking: z
    .strictObject({
      apiServerAddress: z.string().optional(),
      apiServerPort: z.number().int().min(0).max(65535).optional(),
      podSubnet: z.string().optional(),
      serviceSubnet: z.string().optional(),
      disableDefaultCNI: z.boolean().optional(),
      kubeProxyMode: z.string().optional(),
    })
    .optional(),
  featureGates: z.record(z.string(), z.boolean()).optional(),
  runtimeConfig: z.record(z.string(), z.string()).optional(),
  kubeadmConfigPatches: z.array(z.string()).optional(),
  nodes: z.array(Node).min(1),
});
export type KindCluster = z.infer<typeof KindCluster>;

/** A kubeadm/kubelet config document from a patch string. */
export interface KubeadmPatch {
  kind: string;
  [field: string]: unknown;
}

export interface KindConfig {
  path: string;
  cluster: KindCluster;
  /** Every patch (cluster-wide and per node), parsed, with where it came from. */
  patches: { where: string; patch: KubeadmPatch }[];
}

export function parseKindConfig(text: string, path = "kind-config.yaml"): KindConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new HarnessError(`${path}: invalid YAML: ${(err as Error).message}`);
  }
  const r = KindCluster.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new HarnessError(`${path} is not a kind v1alpha4 Cluster:\n  ${lines.join("\n  ")}`);
  }
  const cluster = r.data;
  const patches: KindConfig["patches"] = [];
  const collect = (list: readonly string[] | undefined, where: string) => {
    for (const [i, text] of (list ?? []).entries()) {
      const doc = parse(text) as unknown;
      if (typeof doc !== "object" || doc === null || typeof (doc as { kind?: unknown }).kind !== "string") {
        throw new HarnessError(`${path}: ${where}.kubeadmConfigPatches[${i}] lacks a kind`);
      }
      patches.push({ where: `${where}.kubeadmConfigPatches[${i}]`, patch: doc as KubeadmPatch });
    }
  };
  collect(cluster.kubeadmConfigPatches, "cluster");
  for (const [i, n] of cluster.nodes.entries()) collect(n.kubeadmConfigPatches, `nodes[${i}]`);
  return { path, cluster, patches };
}

export async function loadKindConfig(path = KIND_CONFIG_PATH): Promise<KindConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new HarnessError(`cannot read the kind config ${path}: ${(err as Error).message}`);
  }
  return parseKindConfig(text, path);
}

/** The cluster a kind command means: `$KIND_CLUSTER_NAME` (as kind itself reads it), else the config's. */
export function kindClusterName(c: KindConfig): string {
  return process.env.KIND_CLUSTER_NAME || c.cluster.name;
}

/** The facts the provider and the docs rely on. */
export function kindConfigFacts(c: KindConfig) {
  const patchOf = (kind: string) => c.patches.filter((p) => p.patch.kind === kind).map((p) => p.patch);
  const cluster = patchOf("ClusterConfiguration")[0] as
    | {
        apiServer?: { extraArgs?: Record<string, string> };
        etcd?: { local?: { extraArgs?: Record<string, string> } };
      }
    | undefined;
  const kubelet = patchOf("KubeletConfiguration")[0] as { failCgroupV1?: boolean } | undefined;
  const controlPlane = c.cluster.nodes.find((n) => n.role === "control-plane");
  const etcdMetrics = controlPlane?.extraPortMappings?.find((m) => m.containerPort === 2381);
  return {
    name: c.cluster.name,
    controlPlanes: c.cluster.nodes.filter((n) => n.role === "control-plane").length,
    workers: c.cluster.nodes.filter((n) => n.role === "worker").length,
    apiserverArgs: cluster?.apiServer?.extraArgs ?? {},
    etcdArgs: cluster?.etcd?.local?.extraArgs ?? {},
    failCgroupV1: kubelet?.failCgroupV1,
    /** etcd's metrics port as mapped to the host; hostPort 0 means kind picks one (ask Docker). */
    etcdMetricsMapping: etcdMetrics
      ? { listenAddress: etcdMetrics.listenAddress ?? "0.0.0.0", hostPort: etcdMetrics.hostPort ?? 0 }
      : undefined,
  };
}

/**
 * The in-cluster half of a run with runtime "cluster": the scenario's operator and simulator
 * settings turned into the generated manifests (harness/deploy), the image made available to the
 * nodes (kind: built from this checkout and `kind load`ed; kubeconfig: the nodes pull it), and
 * the workloads deployed fresh — an earlier run's pods would hold another API token and flags.
 */
import { join } from "node:path";
import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PolicyV1Api,
} from "@kubernetes/client-node";
import type { ClusterHandle } from "../../../cluster/index.ts";
import { deployWorkloads } from "../../../deploy/apply.ts";
import {
  type DeployOptions,
  type DeployOptionsInput,
  MESH_NAME,
  OPERATOR_NAME,
  OPERATOR_RESOURCES,
} from "../../../deploy/index.ts";
import { parseQuantity } from "../../../deploy/quantity.ts";
import { HarnessError } from "../../../errors.ts";
import { readOrCreateToken } from "../../../mesh/process.ts";
import { tuningArgs } from "../../../operators/builtin/reference/cli.ts";
import type { ScenarioDefinition } from "../../../scenario/schema.ts";
import { simulatorArgs, topologyFlag } from "../mesh-process.ts";
import { OPERATOR_NAMESPACE } from "../operators.ts";

/** The simulator's requests when the scenario sets only its limits (the generated default's). */
const MESH_REQUESTS = { cpu: "250m", memory: "256Mi" };

export interface InClusterDeployment {
  namespace: string;
  token: string;
  tokenFile: string;
  options: DeployOptions;
  /** For results.json: where and how the workloads ran. */
  record(): Record<string, unknown>;
  /** Deletes the workloads (not the namespace or RBAC, which installRbac owns). */
  remove(): Promise<void>;
}

function smaller(a: string, b: string): string {
  return parseQuantity(a) <= parseQuantity(b) ? a : b;
}

/** A pod's requests and limits from a scenario's limits: requests never above the limits. */
function podResources(limits: { cpu: string; memory: string }, requests: { cpu: string; memory: string }) {
  return {
    requests: { cpu: smaller(requests.cpu, limits.cpu), memory: smaller(requests.memory, limits.memory) },
    limits,
  };
}

export function deployInput(
  def: ScenarioDefinition,
  image: string,
  imagePullPolicy: DeployOptions["imagePullPolicy"],
  token: string,
): DeployOptionsInput {
  const op = def.operator;
  return {
    namespace: OPERATOR_NAMESPACE,
    image,
    imagePullPolicy,
    patronusToken: token,
    operator: {
      replicas: op.replicas,
      watchNamespace: def.namespace,
      resources: op.resources ? podResources(op.resources, OPERATOR_RESOURCES.requests) : OPERATOR_RESOURCES,
      extraArgs: tuningArgs({
        leaderElection: op.leaderElection,
        concurrency: op.concurrency,
        ...(op.pathConcurrency ? { pathConcurrency: op.pathConcurrency } : {}),
        qps: op.qps,
        burst: op.burst,
        workqueueQps: op.workqueueQps,
        workqueueBurst: op.workqueueBurst,
        extraArgs: op.extraArgs,
      }),
    },
    mesh: {
      sites: def.mesh.sites,
      topology: topologyFlag(def),
      seed: def.mesh.seed,
      shards: def.mesh.shards,
      // The same world as the harness generates locally: every generator parameter, the tick, the rate.
      extraArgs: simulatorArgs(def),
      ...(def.mesh.resources ? { resources: podResources(def.mesh.resources, MESH_REQUESTS) } : {}),
    },
  };
}

/** Makes the image available to the nodes: a provider that can loads it from this machine; elsewhere it is pulled. */
async function provideImage(
  cluster: ClusterHandle,
  image: string,
  log: (line: string) => void,
): Promise<DeployOptions["imagePullPolicy"]> {
  if (!cluster.loadImage) {
    log(`in-cluster: the nodes pull ${image} (IfNotPresent); push it where they can reach it`);
    return "IfNotPresent";
  }
  await cluster.loadImage(image, log);
  // Never pull: the image exists only inside the nodes.
  return "Never";
}

/** What the harness deployed (labelled managed-by=patronus-bench), of any earlier deployment too. */
const WORKLOADS = "app.kubernetes.io/managed-by=patronus-bench";

async function workloadsIn(kc: KubeConfig, namespace: string): Promise<KubernetesObject[]> {
  const q = { namespace, labelSelector: WORKLOADS };
  const core = kc.makeApiClient(CoreV1Api);
  const typed = (apiVersion: string, kind: string, items: KubernetesObject[]) =>
    items.map((o) => ({ ...o, apiVersion, kind }));
  return [
    ...typed("apps/v1", "Deployment", (await kc.makeApiClient(AppsV1Api).listNamespacedDeployment(q)).items),
    ...typed("v1", "Service", (await core.listNamespacedService(q)).items),
    ...typed(
      "policy/v1",
      "PodDisruptionBudget",
      (await kc.makeApiClient(PolicyV1Api).listNamespacedPodDisruptionBudget(q)).items,
    ),
    ...typed("v1", "ConfigMap", (await core.listNamespacedConfigMap(q)).items),
    ...typed("v1", "Secret", (await core.listNamespacedSecret(q)).items),
  ];
}

async function deleteObjects(kc: KubeConfig, objects: readonly KubernetesObject[]): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  for (const o of objects) {
    await api.delete(o, undefined, undefined, undefined, undefined, "Background").catch((err: unknown) => {
      if ((err as { code?: number }).code !== 404) throw err;
    });
  }
}

/** Waits until no pod of an earlier deployment is left (they would compete for the Lease). */
async function waitPodsGone(kc: KubeConfig, namespace: string, timeoutMs: number): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const pods = await core.listNamespacedPod({
      namespace,
      labelSelector: WORKLOADS,
    });
    if (pods.items.length === 0) return;
    if (performance.now() > deadline)
      throw new HarnessError(
        `pods of an earlier deployment are still in ${namespace} after ${timeoutMs / 1000} s: ${pods.items.map((p) => p.metadata?.name).join(", ")}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Removes what an earlier deployment of the harness left (`kind up`, a run kept with --keep) and
 * waits for its pods to go: its operator would hold the Lease the run's replicas wait for, whatever
 * the run's runtime. Answers the pods removed (their names are their Lease identities).
 */
export async function removeEarlierWorkloads(kc: KubeConfig, log: (line: string) => void): Promise<string[]> {
  const earlier = await workloadsIn(kc, OPERATOR_NAMESPACE);
  if (earlier.length === 0) return [];
  const pods = await kc
    .makeApiClient(CoreV1Api)
    .listNamespacedPod({ namespace: OPERATOR_NAMESPACE, labelSelector: WORKLOADS });
  const deployments = earlier.filter((o) => o.kind === "Deployment").map((o) => o.metadata?.name);
  log(
    `removing the workloads of an earlier deployment${deployments.length ? ` (${deployments.join(", ")})` : ""}`,
  );
  await deleteObjects(kc, earlier);
  await waitPodsGone(kc, OPERATOR_NAMESPACE, 120_000);
  return pods.items.map((p) => p.metadata?.name ?? "").filter(Boolean);
}

export async function deployForRun(
  def: ScenarioDefinition,
  cluster: ClusterHandle,
  runDir: string,
  log: (line: string) => void,
): Promise<InClusterDeployment> {
  const kc = cluster.kubeConfig();
  const image = def.operator.image;
  const imagePullPolicy = await provideImage(cluster, image, log);
  const tokenFile = join(runDir, "mesh-token");
  const token = await readOrCreateToken(tokenFile);
  const input = deployInput(def, image, imagePullPolicy, token);
  log(
    `in-cluster: deploying ${def.operator.replicas} operator replica(s) and the simulator (${def.mesh.shards > 1 ? `${def.mesh.shards} shards` : "one pod"})`,
  );
  const t0 = performance.now();
  const manifests = await deployWorkloads(kc, input, { log, timeoutMs: 300_000 });
  const rolloutSeconds = (performance.now() - t0) / 1000;
  log(`in-cluster: operator and simulator Available in ${rolloutSeconds.toFixed(1)} s`);
  const options = manifests.options;
  return {
    namespace: OPERATOR_NAMESPACE,
    token,
    tokenFile,
    options,
    record: () => ({
      runtime: "cluster",
      image,
      imagePullPolicy,
      namespace: OPERATOR_NAMESPACE,
      rolloutSeconds: Math.round(rolloutSeconds * 10) / 10,
      operator: {
        deployment: OPERATOR_NAME,
        replicas: options.operator.replicas,
        resources: options.operator.resources,
      },
      mesh: { deployment: MESH_NAME, shards: options.mesh.shards, resources: options.mesh.resources },
    }),
    remove: async () => deleteObjects(kc, await workloadsIn(kc, OPERATOR_NAMESPACE)),
  };
}

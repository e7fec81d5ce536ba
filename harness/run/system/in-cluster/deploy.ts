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
import { ensureOperatorImage, usesProjectImage } from "../../../container/image/operator-image.ts";
import { deployWorkloads } from "../../../deploy/apply.ts";
import { helmInstall, helmUninstall } from "../../../deploy/helm.ts";
import {
  type DeployOptions,
  type DeployOptionsInput,
  MESH_NAME,
  OPERATOR_NAME,
  OPERATOR_RESOURCES,
} from "../../../deploy/index.ts";
import { parseQuantity } from "../../../deploy/quantity.ts";
import { HarnessError } from "../../../errors.ts";
import type { Dialect } from "../../../mesh/api/dialect.ts";
import { readOrCreateToken } from "../../../mesh/process.ts";
import { tuningArgs } from "../../../operators/builtin/reference/cli.ts";
import { artifactValues } from "../../../operators/crds.ts";
import type { LoadedOperator } from "../../../operators/definition.ts";
import { fillPlaceholders } from "../../../operators/placeholders.ts";
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
  /** How the operator's pods are found, and the port of their /metrics. */
  operatorPods: { selector: string; metricsPort: number };
  /** The operator pods' requests and limits. */
  operatorResources: DeployOptions["operator"]["resources"];
  /** For results.json: where and how the workloads ran. */
  record(): Record<string, unknown>;
  /** Deletes the workloads and uninstalls the operator's chart (not the namespace or RBAC, which installRbac owns). */
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
  simulator: { dialect: Dialect; withOperator: boolean } = { dialect: "reference", withOperator: true },
): DeployOptionsInput {
  const op = def.operator;
  return {
    namespace: OPERATOR_NAMESPACE,
    image,
    imagePullPolicy,
    patronusToken: token,
    operator: {
      enabled: simulator.withOperator,
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
      extraArgs: simulatorArgs(def, { dialect: simulator.dialect }),
      ...(def.mesh.resources ? { resources: podResources(def.mesh.resources, MESH_REQUESTS) } : {}),
    },
  };
}

/** Makes the image available to the nodes: a provider that can loads it from this machine; elsewhere it is pulled. */
async function provideImage(
  cluster: ClusterHandle,
  image: string,
  log: (line: string) => void,
  build = true,
): Promise<DeployOptions["imagePullPolicy"]> {
  if (!cluster.loadImage) {
    log(`in-cluster: the nodes pull ${image} (IfNotPresent); push it where they can reach it`);
    return "IfNotPresent";
  }
  await cluster.loadImage(image, log, build);
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
  operator: LoadedOperator,
  cluster: ClusterHandle,
  runDir: string,
  log: (line: string) => void,
): Promise<InClusterDeployment> {
  const kc = cluster.kubeConfig();
  // The operator runs from the project image with the simulator, or from its own image, installed with its chart.
  const own = !usesProjectImage(operator);
  const image = own ? def.mesh.image : def.operator.image;
  const imagePullPolicy = await provideImage(cluster, image, log);
  const tokenFile = join(runDir, "mesh-token");
  const token = await readOrCreateToken(tokenFile);
  const dialect = operator.definition.patronusApi.dialect;
  const input = deployInput(def, image, imagePullPolicy, token, { dialect, withOperator: !own });
  log(
    own
      ? `in-cluster: deploying the simulator (${def.mesh.shards > 1 ? `${def.mesh.shards} shards` : "one pod"})`
      : `in-cluster: deploying ${def.operator.replicas} operator replica(s) and the simulator (${def.mesh.shards > 1 ? `${def.mesh.shards} shards` : "one pod"})`,
  );
  const t0 = performance.now();
  const manifests = await deployWorkloads(kc, input, { log, timeoutMs: 300_000 });
  const options = manifests.options;
  const chart = own ? await installChart(def, operator, cluster, options, runDir, log) : undefined;
  const rolloutSeconds = (performance.now() - t0) / 1000;
  log(`in-cluster: operator and simulator Available in ${rolloutSeconds.toFixed(1)} s`);
  return {
    namespace: OPERATOR_NAMESPACE,
    token,
    tokenFile,
    options,
    operatorPods: chart
      ? { selector: `app.kubernetes.io/instance=${chart.release}`, metricsPort: chart.metricsPort }
      : { selector: `app.kubernetes.io/name=${OPERATOR_NAME}`, metricsPort: options.operator.metricsPort },
    operatorResources: chart?.resources ?? options.operator.resources,
    record: () => ({
      runtime: "cluster",
      image: chart?.image ?? image,
      imagePullPolicy,
      namespace: OPERATOR_NAMESPACE,
      rolloutSeconds: Math.round(rolloutSeconds * 10) / 10,
      operator: chart
        ? {
            helm: { chart: chart.chart, release: chart.release, values: chart.valuesFile },
            image: chart.image,
            imageId: chart.imageId,
            sourceDigest: chart.sourceDigest,
            replicas: def.operator.replicas,
            resources: chart.resources,
          }
        : {
            deployment: OPERATOR_NAME,
            replicas: options.operator.replicas,
            resources: options.operator.resources,
          },
      mesh: { deployment: MESH_NAME, shards: options.mesh.shards, resources: options.mesh.resources },
    }),
    remove: async () => {
      if (chart) await helmUninstall(chart);
      await deleteObjects(kc, await workloadsIn(kc, OPERATOR_NAMESPACE));
    },
  };
}

interface InstalledChart {
  chart: string;
  release: string;
  namespace: string;
  kubeconfig: string;
  valuesFile: string;
  image: string;
  imageId: string;
  sourceDigest: string;
  metricsPort: number;
  resources: DeployOptions["operator"]["resources"];
}

/** The operator's image built and put on the nodes, then its own chart installed with the harness's values. */
async function installChart(
  def: ScenarioDefinition,
  operator: LoadedOperator,
  cluster: ClusterHandle,
  options: DeployOptions,
  runDir: string,
  log: (line: string) => void,
): Promise<InstalledChart> {
  const spec = operator.definition.image;
  if (!spec?.helmChart || !spec.helmValues)
    throw new HarnessError(
      `operator ${operator.definition.name} has no Helm chart to install it on a cluster`,
    );
  const built = await ensureOperatorImage(operator, log);
  const pullPolicy = await provideImage(cluster, built.reference, log, false);
  const colon = built.reference.lastIndexOf(":");
  const tagged = colon > built.reference.lastIndexOf("/");
  const release = operator.definition.name;
  const metricsPort = 8080;
  const resources = def.operator.resources
    ? podResources(def.operator.resources, OPERATOR_RESOURCES.requests)
    : OPERATOR_RESOURCES;
  const values = spec.helmValues({
    release,
    image: {
      repository: tagged ? built.reference.slice(0, colon) : built.reference,
      tag: tagged ? built.reference.slice(colon + 1) : "latest",
      pullPolicy,
    },
    replicas: def.operator.replicas,
    resources,
    patronusUrl: `http://${MESH_NAME}.${options.namespace}.svc:${options.mesh.port}`,
    metricsPort,
    healthPort: metricsPort + 1,
    settings: def.operator as unknown as Record<string, unknown>,
  });
  const installed: InstalledChart = {
    chart: fillPlaceholders(spec.helmChart, artifactValues(operator)),
    release,
    namespace: options.namespace,
    kubeconfig: cluster.kubeconfigPath,
    valuesFile: join(runDir, `${release}-values.yaml`),
    image: built.reference,
    imageId: built.id,
    sourceDigest: built.sourceDigest,
    metricsPort,
    resources,
  };
  // Fresh, as the generated workloads are: an earlier run's release may hold other values.
  await helmUninstall(installed);
  await helmInstall({ ...installed, values, timeoutMs: 300_000 }, log);
  return installed;
}

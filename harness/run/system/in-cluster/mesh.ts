/**
 * The simulator of a run with runtime "cluster", as the harness sees it: its Patronus, fault and
 * event-log APIs through a port-forward to its pod (the shard router's, when sharded), the same
 * world generated locally from the same parameters, and — where the nodes are this host's (kind)
 * — the host PIDs of every simulator pod, so mesh_cpu_cores / mesh_rss_bytes are measured as for
 * a process.
 */
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { API_BASE_PATH } from "../../../../contract/patronus-api/v1.ts";
import type { ClusterHandle } from "../../../cluster/index.ts";
import { MESH_NAME } from "../../../deploy/index.ts";
import { forwardPod } from "../../../deploy/port-forward.ts";
import { HarnessError } from "../../../errors.ts";
import type { Dialect } from "../../../mesh/api/dialect.ts";
import { FaultClient } from "../../../mesh/client/faults.ts";
import type { ScenarioDefinition } from "../../../scenario/schema.ts";
import { type MeshProcess, meshView, scenarioWorld } from "../mesh-process.ts";
import type { InClusterDeployment } from "./deploy.ts";

const POLL_MS = 5000;

export async function connectInClusterMesh(
  def: ScenarioDefinition,
  kc: KubeConfig,
  cluster: ClusterHandle,
  deployment: InClusterDeployment,
  dialect: Dialect = "reference",
): Promise<MeshProcess> {
  const core = kc.makeApiClient(CoreV1Api);
  // Router and shard replicas alike carry part-of=patronus and a name starting with the simulator's.
  const meshPods = async () =>
    (
      await core.listNamespacedPod({
        namespace: deployment.namespace,
        labelSelector: "app.kubernetes.io/part-of=patronus",
      })
    ).items.filter((p) => (p.metadata?.labels?.["app.kubernetes.io/name"] ?? "").startsWith(MESH_NAME));
  const pods = await meshPods();
  const front = pods.find(
    (p) => p.metadata?.labels?.["app.kubernetes.io/name"] === MESH_NAME && !p.metadata?.deletionTimestamp,
  );
  if (!front?.metadata?.name) throw new HarnessError(`no ${MESH_NAME} pod in ${deployment.namespace}`);
  const forward = await forwardPod(
    kc,
    deployment.namespace,
    front.metadata.name,
    deployment.options.mesh.port,
  );
  let pids: number[] = [];
  const refresh = async () => {
    if (!cluster.podProcesses) return;
    const uids = (await meshPods()).map((p) => p.metadata?.uid ?? "");
    pids = [...(await cluster.podProcesses(uids)).values()].flat();
  };
  await refresh();
  const timer = setInterval(() => void refresh().catch(() => {}), POLL_MS);
  const world = scenarioWorld(def);
  const url = forward.url;
  const apiUrl = `${url}${API_BASE_PATH}`;
  const faults = new FaultClient({ url, token: deployment.token });
  const view = meshView(url, apiUrl, deployment.token, faults, () => pids[0], dialect);
  return {
    url,
    apiUrl,
    token: deployment.token,
    tokenFile: deployment.tokenFile,
    faults,
    world,
    view: { ...view, pids: () => pids, metricsUrl: `${url}/metrics` },
    stop: async () => {
      clearInterval(timer);
      await forward.close();
    },
  };
}

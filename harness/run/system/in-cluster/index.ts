/**
 * Runtime "cluster": operator and simulator deployed into the run's cluster (kind or kubeconfig)
 * and reached from this machine through the apiserver — port-forwards for /metrics and the
 * simulator's APIs — so every measurement works as it does for local processes.
 */
import type { ClusterHandle } from "../../../cluster/index.ts";
import { parseQuantity } from "../../../deploy/quantity.ts";
import type { MetricStore } from "../../../measure/metrics/store.ts";
import type { ScenarioDefinition } from "../../../scenario/schema.ts";
import type { MeshProcess } from "../mesh-process.ts";
import { deployForRun, type InClusterDeployment } from "./deploy.ts";
import { connectInClusterMesh } from "./mesh.ts";
import { InClusterOperators } from "./operators.ts";

export interface InClusterSystem {
  deployment: InClusterDeployment;
  mesh: MeshProcess;
  operators: InClusterOperators;
}

export async function startInCluster(
  def: ScenarioDefinition,
  cluster: ClusterHandle,
  runDir: string,
  log: (line: string) => void,
): Promise<InClusterSystem> {
  const kc = cluster.kubeConfig();
  const deployment = await deployForRun(def, cluster, runDir, log);
  const mesh = await connectInClusterMesh(def, kc, cluster, deployment);
  const operators = new InClusterOperators({
    kc,
    namespace: deployment.namespace,
    metricsPort: deployment.options.operator.metricsPort,
    cluster,
    log,
  });
  return { deployment, mesh, operators };
}

/**
 * What the pods ran under, for results.json (`run.cluster.knobs.operatorRuntime`, free-form in
 * schemaVersion 1) and the limit gauges the container runtime records too.
 */
export function recordInCluster(system: InClusterSystem, store: MetricStore): Record<string, unknown> {
  const limits = system.deployment.options.operator.resources.limits;
  store.gauge("operator_cpu_limit_cores", parseQuantity(limits.cpu), "cores");
  store.gauge("operator_memory_limit_bytes", parseQuantity(limits.memory), "bytes");
  return {
    operatorRuntime: {
      ...system.deployment.record(),
      pods: system.operators.view.replicas().map((r) => r.identity),
      // Where the nodes are this host's (kind), CPU and RSS are read from /proc like a process's.
      measuredFrom: system.operators.view.replicas().some((r) => r.pid !== undefined)
        ? "host /proc"
        : "operator /metrics",
    },
  };
}

/**
 * Runtime "cluster": operator and simulator deployed into the run's cluster (kind or kubeconfig)
 * and reached from this machine through the apiserver — port-forwards for /metrics and the
 * simulator's APIs — so every measurement works as it does for local processes.
 */
import type { ClusterHandle } from "../../../cluster/index.ts";
import { parseQuantity } from "../../../deploy/quantity.ts";
import type { MetricStore } from "../../../measure/metrics/store.ts";
import type { LoadedOperator } from "../../../operators/definition.ts";
import type { ScenarioDefinition } from "../../../scenario/schema.ts";
import { recordCgroupGauges } from "../container-record.ts";
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
  operator: LoadedOperator,
  cluster: ClusterHandle,
  runDir: string,
  log: (line: string) => void,
): Promise<InClusterSystem> {
  const kc = cluster.kubeConfig();
  const deployment = await deployForRun(def, operator, cluster, runDir, log);
  let mesh: MeshProcess;
  try {
    mesh = await connectInClusterMesh(def, kc, cluster, deployment, operator.definition.patronusApi.dialect);
  } catch (err) {
    // The run never gets hold of the workloads, so its teardown could not remove them.
    if (!cluster.disposable) await deployment.remove().catch(() => {});
    throw err;
  }
  const operators = new InClusterOperators({
    kc,
    namespace: deployment.namespace,
    selector: deployment.operatorPods.selector,
    metricsPort: deployment.operatorPods.metricsPort,
    cluster,
    log,
    runDir,
  });
  return { deployment, mesh, operators };
}

/**
 * What the pods ran under, for results.json (`run.cluster.knobs.operatorRuntime`, free-form in
 * schemaVersion 1) and the limit gauges the container runtime records too.
 */
export async function recordInCluster(
  system: InClusterSystem,
  store: MetricStore,
): Promise<Record<string, unknown>> {
  await system.operators.sampleNow();
  await system.operators.saveLogs();
  const pods = system.operators.everyPod();
  const limits = system.deployment.operatorResources.limits;
  // As the cgroup enforced them where it can be read (kind), else as the Deployment asked.
  const enforced = pods.find((p) => p.cgroup)?.cgroup;
  store.gauge("operator_cpu_limit_cores", enforced?.cpuLimitCores ?? parseQuantity(limits.cpu), "cores");
  store.gauge(
    "operator_memory_limit_bytes",
    enforced?.memoryLimitBytes ?? parseQuantity(limits.memory),
    "bytes",
  );
  recordCgroupGauges(
    pods.flatMap((p) => (p.cgroup ? [p.cgroup] : [])),
    store,
  );
  return {
    operatorRuntime: {
      ...system.deployment.record(),
      pods,
      // Where the nodes are this host's (kind), CPU and RSS are read from /proc like a process's.
      measuredFrom:
        enforced || system.operators.view.replicas().some((r) => r.pid !== undefined)
          ? "host /proc"
          : "operator /metrics",
    },
  };
}

/**
 * Stage 1, provision: brings up (or connects to) the run's cluster and opens the harness's client
 * on it. Undone last: the cluster stops after everything the run started on it.
 */
import { join } from "node:path";
import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import { type ClusterHandle, startCluster } from "../../cluster/index.ts";
import { KubeObjects } from "../../load/kube/client.ts";
import type { RunScope } from "./scope.ts";

export interface Provisioned {
  cluster: ClusterHandle;
  kc: KubeConfig;
  objects: KubeObjects;
}

/** `earlyObjects` (the operator's CRDs) are applied while the cluster starts, where it can. */
export async function provisionCluster(
  scope: RunScope,
  earlyObjects: readonly KubernetesObject[],
): Promise<Provisioned> {
  const { def, options, log, teardown } = scope;
  log(`starting ${def.cluster.provider} cluster`);
  const cluster = await startCluster({
    provider: def.cluster.provider,
    runDir: join(options.dir, "cluster"),
    ...(def.cluster.kubeconfig ? { kubeconfig: def.cluster.kubeconfig } : {}),
    knobs: def.cluster.knobs as never,
    log,
    ...(options.keep ? { keep: true } : {}),
    earlyObjects,
  });
  if (options.keep)
    teardown.defer("keep notice", () =>
      log(`--keep: the ${cluster.provider} cluster stays (kubeconfig ${cluster.kubeconfigPath})`),
    );
  teardown.defer("cluster", () => cluster.stop());
  // The run's own processes (simulator, operator replicas) stop before the cluster does.
  teardown.defer("processes", () => scope.processes.stopAll());
  scope.events.record("cluster.ready", "harness", { timings: cluster.timings });
  const kc = cluster.kubeConfig();
  const objects = new KubeObjects(kc);
  teardown.defer("kube client", () => objects.close().catch(() => {}));
  return { cluster, kc, objects };
}

/**
 * What each cluster provider can do, so the rest of the harness asks about a capability and never
 * about a provider's name. Static per provider: a scenario is checked against it before anything
 * starts.
 */
import type { z } from "zod";
import { EmbeddedKnobs } from "./embedded/knobs.ts";
import type { ProviderName } from "./provider.ts";

export interface ClusterCapabilities {
  /** kube-apiserver and etcd can be stopped and started again (control-plane failover). */
  canRestartControlPlane: boolean;
  /** The nodes' pods are processes of this host: measured and killed through /proc. */
  nodesAreLocalProcesses: boolean;
  /** It has nodes, so the operator and simulator can run in it as pods (runtime "cluster"). */
  supportsInClusterRuntime: boolean;
  /** It can be left running after the run (--keep). */
  outlivesRun: boolean;
  /**
   * The harness made it (and nobody else deploys to it): workloads an earlier run deployed and
   * left are the harness's own, removed before a run.
   */
  harnessOwned: boolean;
  /**
   * Every process of the cluster is one the run measures on this host, so CPU busy beyond them is
   * other work on the machine (a kind node's kubelet and system pods would read as such).
   */
  everyProcessMeasured: boolean;
  /** The schema of its knobs (cluster.knobs), when it has any; checked with the scenario. */
  knobs: z.ZodObject | undefined;
}

const PROVIDERS: Record<ProviderName, ClusterCapabilities> = {
  embedded: {
    canRestartControlPlane: true,
    nodesAreLocalProcesses: false,
    supportsInClusterRuntime: false,
    outlivesRun: false,
    harnessOwned: true,
    everyProcessMeasured: true,
    knobs: EmbeddedKnobs,
  },
  kind: {
    canRestartControlPlane: true,
    nodesAreLocalProcesses: true,
    supportsInClusterRuntime: true,
    outlivesRun: true,
    harnessOwned: true,
    everyProcessMeasured: false,
    knobs: undefined,
  },
  kubeconfig: {
    canRestartControlPlane: false,
    nodesAreLocalProcesses: false,
    supportsInClusterRuntime: true,
    outlivesRun: true,
    harnessOwned: false,
    everyProcessMeasured: false,
    knobs: undefined,
  },
};

export function clusterCapabilities(provider: ProviderName): ClusterCapabilities {
  return PROVIDERS[provider];
}

/**
 * One interface for every place the operator can be tested, as kwok's runtimes: the embedded
 * control plane (default), kind, or any existing cluster through a kubeconfig.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import type { ClusterCapabilities } from "./capabilities.ts";

export type ProviderName = "embedded" | "kind" | "kubeconfig";
export type RestartableComponent = "kube-apiserver" | "etcd";

export interface ComponentTiming {
  component: string;
  seconds: number;
}

export interface ClusterHandle {
  readonly provider: ProviderName;
  /** What it can do; ask this, never the provider's name. */
  readonly capabilities: ClusterCapabilities;
  /** Admin kubeconfig (system:masters on the embedded cluster). */
  readonly kubeconfigPath: string;
  readonly versions: { kubernetes: string; etcd: string };
  /** How long each component took to become healthy. */
  readonly timings: readonly ComponentTiming[];
  /** Facts a results file records (fsync disabled, knobs in force, …). */
  readonly metadata: Record<string, unknown>;
  /** URLs the harness scrapes, where the provider can reach them. */
  readonly endpoints: { apiserver: string; etcdMetrics?: string };
  kubeConfig(): KubeConfig;
  /**
   * Whether the objects given to startCluster as `earlyObjects` were applied while it started
   * (the embedded cluster does so before the apiserver reports ready); absent or false: apply them.
   */
  appliedEarly?(): Promise<boolean>;
  /** A kubeconfig file that authenticates as the ServiceAccount with a bound token. */
  serviceAccountKubeconfig(namespace: string, name: string): Promise<string>;
  /**
   * Stops and starts one control-plane component (failover scenarios) and resolves when it serves
   * again, with how it was done (for the event log). Embedded and kind; not a cluster the harness
   * does not run.
   */
  restartComponent(component: RestartableComponent, downMs?: number): Promise<string>;
  /**
   * The cluster goes away on stop (an embedded one, or a kind cluster the run created): what a run
   * left in it needs no cleaning.
   */
  readonly disposable: boolean;
  /** PIDs of processes the provider runs, for CPU/RSS sampling and leak checks. */
  pids(): Record<string, number>;
  /**
   * Host PIDs of pods' processes by pod UID, where the nodes run on this machine (kind): the
   * in-cluster runtime measures and kills them as it does its own processes. Absent elsewhere.
   */
  podProcesses?(uids: readonly string[]): Promise<Map<string, number[]>>;
  /**
   * Builds the project image if needed (`build` false: an image built already) and puts it on the
   * nodes (kind load), where the provider can; absent elsewhere: the nodes pull it.
   */
  loadImage?(image: string, log: (line: string) => void, build?: boolean): Promise<void>;
  stop(): Promise<void>;
}

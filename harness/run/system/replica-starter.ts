/**
 * How the run starts one operator replica, whichever operator it is: a process from the
 * definition's `start` (defined-replica.ts), or a container of its image (runtime "container"),
 * each on its own links when the run gives replicas some, and each reaching the simulator under
 * its own caller prefix (`/c/<identity>`), so the request log, the per-caller rate limit and a
 * partition tell replicas apart.
 */
import type { OperatorContainerHandle } from "../../container/operator-replica.ts";
import type { ReplicaEndpoints } from "../../faults/replica-links.ts";
import { CALLER_PREFIX } from "../../mesh/requests/caller.ts";
import type { LoadedOperator } from "../../operators/definition.ts";
import type { ProcessSet } from "../../process/supervisor.ts";
import type { ScenarioDefinition } from "../../scenario/schema.ts";
import { startReplicaProcess } from "./defined-replica.ts";
import type { OperatorProcessHandle } from "./operator-launch.ts";
import type { ContainerChoice } from "./runtime.ts";

export type ReplicaHandle = OperatorProcessHandle | OperatorContainerHandle;
export type ReplicaStarter = (index: number, identity: string) => Promise<ReplicaHandle>;

export interface ReplicaStarterOptions {
  def: ScenarioDefinition;
  operator: LoadedOperator;
  runDir: string;
  /** The ServiceAccount kubeconfig. */
  kubeconfig: string;
  patronusUrl: string;
  token: string;
  tokenFile: string;
  processes: ProcessSet;
  /** Set for runtime "container". */
  container?: ContainerChoice | undefined;
  /** Each replica's own links to the apiserver and the Patronus API (harness/faults), when the run gives it some. */
  links?: ((identity: string) => Promise<ReplicaEndpoints>) | undefined;
}

/** The Patronus API base URL a replica is given: its caller prefix under the simulator's (or its link's) URL. */
export function callerUrl(base: string, identity: string): string {
  return `${base.replace(/\/+$/, "")}${CALLER_PREFIX}${encodeURIComponent(identity)}`;
}

export function replicaStarter(o: ReplicaStarterOptions): ReplicaStarter {
  const { def } = o;
  return async (index, identity) => {
    // A replica's links name it as the caller already.
    const endpoints = await o.links?.(identity);
    const kubeconfig = endpoints?.kubeconfig ?? o.kubeconfig;
    const patronusUrl = endpoints?.patronusUrl ?? callerUrl(o.patronusUrl, identity);
    const replica = {
      operator: o.operator,
      settings: def.operator as unknown as Record<string, unknown>,
      identity,
      index,
      kubeconfig,
      patronusUrl,
      token: o.token,
      tokenFile: o.tokenFile,
      namespace: def.namespace,
      runDir: o.runDir,
    };
    if (!o.container) return startReplicaProcess(replica, o.processes);
    if (o.container.launch === "definition") {
      // Loaded on use: testcontainers is only needed by container runs.
      const { startDefinedContainerReplica } = await import("../../container/defined-replica.ts");
      return startDefinedContainerReplica(replica, { image: o.container.image, limits: o.container.limits });
    }
    const { startOperatorContainerReplica } = await import("../../container/operator-replica.ts");
    return startOperatorContainerReplica(
      {
        kubeconfig,
        identity,
        watchNamespace: def.namespace,
        patronusUrl,
        tokenFile: o.tokenFile,
        runDir: o.runDir,
        leaderElection: def.operator.leaderElection,
        concurrency: def.operator.concurrency,
        ...(def.operator.pathConcurrency ? { pathConcurrency: def.operator.pathConcurrency } : {}),
        qps: def.operator.qps,
        burst: def.operator.burst,
        workqueueQps: def.operator.workqueueQps,
        workqueueBurst: def.operator.workqueueBurst,
        extraArgs: def.operator.extraArgs,
      },
      { image: o.container.image, ...(o.container.limits ? { limits: o.container.limits } : {}) },
    );
  };
}

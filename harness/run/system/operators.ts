/**
 * The operator replicas of a run, each started by the run's ReplicaStarter (a process from the
 * operator's definition, or a container of its image). Kill/restart serve the failover phases (a
 * container is killed with `docker kill --signal` and replaced by a fresh container, as a
 * Deployment replaces a pod); the view serves the measurements, and the leader is whoever holds
 * the operator's Lease — an operator without leader election has none.
 */
import { CoordinationV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { OperatorContainerHandle } from "../../container/operator-replica.ts";
import { HarnessError } from "../../errors.ts";
import type { OperatorReplicaView, OperatorView } from "../../measure/targets.ts";
import type { ReplicaHandle, ReplicaStarter } from "./replica-starter.ts";

export { OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT } from "../../operators/install/index.ts";

interface Replica {
  index: number;
  identity: string;
  handle: ReplicaHandle;
}

export interface CrashInfo {
  index: number;
  identity: string;
  code: number | null;
  signal: string | null;
  oomKilled?: boolean;
}

/**
 * What a run's phases, measurements and records need of its operator replicas, whichever runtime
 * runs them: processes and containers (OperatorGroup) or the pods of a Deployment
 * (in-cluster/operators.ts).
 */
export interface OperatorReplicas {
  readonly view: OperatorView;
  /** Called when a replica exits on its own (not killed by the harness) and is started again. */
  onCrash: (info: CrashInfo) => void;
  start(count: number): Promise<void>;
  /** The identity holding the leader Lease, if it is one of the replicas'. */
  leaderIdentity(): Promise<string | undefined>;
  replicaByIdentity(identity: string): { index: number } | undefined;
  /** Kills a replica on purpose (no crash restart); says how, for the run's event log. */
  kill(index: number, signal: NodeJS.Signals): Promise<string>;
  /** A fresh replica in slot `index` (after a kill, or to restart it). */
  restart(index: number): Promise<unknown>;
  /** The live replicas' containers (runtime "container"; empty otherwise). */
  containers(): Array<{ identity: string; handle: OperatorContainerHandle }>;
  /** Every container the run started, replaced ones first (runtime "container"; empty otherwise). */
  everyContainer(): Array<{ identity: string; handle: OperatorContainerHandle }>;
  stopAll(): Promise<void>;
}

/** Which of `identities` holds a Lease in `namespace` (the leader), if any does. */
export async function leaseHolderAmong(
  coordination: CoordinationV1Api,
  namespace: string,
  identities: readonly string[],
): Promise<string | undefined> {
  const ids = new Set(identities);
  const leases = await coordination.listNamespacedLease({ namespace });
  for (const lease of leases.items) {
    const holder = lease.spec?.holderIdentity;
    if (holder && ids.has(holder)) return holder;
  }
  return undefined;
}

export class OperatorGroup implements OperatorReplicas {
  private readonly replicas: Replica[] = [];
  /** Replicas replaced by restart(), kept for their end-of-run record. */
  private readonly retired: Replica[] = [];
  private readonly startOne: ReplicaStarter;
  private readonly coordination: CoordinationV1Api;
  private restarts = 0;
  private stopping = false;
  /** Replica slots the harness itself is killing or restarting (not a crash). */
  private readonly intentional = new Set<number>();
  /** Called when a replica exits on its own and is started again (Deployment-style restart). */
  onCrash: (info: CrashInfo) => void = () => {};

  constructor(options: {
    adminKc: KubeConfig;
    /** The operator's leader-election Lease (its definition's), or null: it elects no leader. */
    lease: { namespace: string; name: string } | null;
    start: ReplicaStarter;
  }) {
    this.startOne = options.start;
    this.view.lease = options.lease;
    this.coordination = options.adminKc.makeApiClient(CoordinationV1Api);
  }

  async start(count: number): Promise<void> {
    for (let i = 0; i < count; i++) this.replicas.push(await this.startReplica(i));
  }

  private async startReplica(index: number): Promise<Replica> {
    const identity = `operator-${index}-${this.restarts++}`;
    const handle = await this.startOne(index, identity);
    const replica = { index, identity, handle };
    void handle.exited.then((exit) => this.crashed(replica, exit));
    return replica;
  }

  /**
   * A replica that exits by itself (e.g. controller-runtime exits when it loses its Lease) is
   * started again after a pause, as the Deployment's pod would be by the kubelet.
   */
  private async crashed(
    replica: Replica,
    exit: { code: number | null; signal: string | null; oomKilled?: boolean },
  ): Promise<void> {
    if (this.stopping || this.intentional.has(replica.index)) return;
    if (this.replicas.find((r) => r.index === replica.index) !== replica) return;
    this.onCrash({ index: replica.index, identity: replica.identity, ...exit });
    await new Promise((r) => setTimeout(r, 1000));
    if (this.stopping || this.intentional.has(replica.index)) return;
    await this.restart(replica.index).catch(() => undefined);
  }

  readonly view: OperatorView = {
    replicas: (): OperatorReplicaView[] =>
      this.replicas.map((r) => ({
        index: r.index,
        identity: r.identity,
        pid: r.handle.running ? r.handle.pid : undefined,
        metricsUrl: r.handle.metricsUrl,
        running: r.handle.running,
      })),
    lease: null,
  };

  /** The identity holding the leader Lease (found among the Leases of its namespace); none without leader election. */
  async leaderIdentity(): Promise<string | undefined> {
    const lease = this.view.lease;
    if (!lease) return undefined;
    return leaseHolderAmong(
      this.coordination,
      lease.namespace,
      this.replicas.map((r) => r.identity),
    );
  }

  /** The live replicas' containers (runtime "container"; empty for processes). */
  containers(): Array<{ identity: string; handle: OperatorContainerHandle }> {
    return this.everyContainer().filter((c) => c.handle.running);
  }

  /** Every container the run started, replaced ones (killed, crashed, restarted) first. */
  everyContainer(): Array<{ identity: string; handle: OperatorContainerHandle }> {
    return [...this.retired, ...this.replicas].flatMap((r) =>
      "containerId" in r.handle
        ? [{ identity: r.identity, handle: r.handle as OperatorContainerHandle }]
        : [],
    );
  }

  replicaByIdentity(identity: string): Replica | undefined {
    return this.replicas.find((r) => r.identity === identity);
  }

  replica(index: number): Replica {
    const r = this.replicas.find((x) => x.index === index);
    if (!r)
      throw new HarnessError(
        `there is no operator replica ${index} (the scenario runs ${this.replicas.length})`,
      );
    return r;
  }

  /** Kills a replica on purpose; the caller restarts it (no crash restart). */
  async kill(index: number, signal: NodeJS.Signals): Promise<string> {
    this.intentional.add(index);
    const r = this.replica(index);
    r.handle.kill(signal);
    return "containerId" in r.handle ? `docker kill --signal ${signal}` : `${signal} to the process`;
  }

  /** Starts a fresh process in the slot of replica `index` (after a kill, or to restart it). */
  async restart(index: number): Promise<Replica> {
    const slot = this.replicas.findIndex((r) => r.index === index);
    const old = this.replicas[slot];
    if (!old) throw new HarnessError(`there is no operator replica ${index}`);
    this.intentional.add(index);
    try {
      await old.handle.stop();
      this.retired.push(old);
      const fresh = await this.startReplica(index);
      this.replicas[slot] = fresh;
      return fresh;
    } finally {
      this.intentional.delete(index);
    }
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const r of this.replicas) await r.handle.stop();
  }
}

/**
 * The operator replicas of a run with runtime "cluster": the pods of the generated Deployment,
 * each in a slot (replica index) with its own port-forward to /metrics, its pod name as
 * leader-election identity. The pods are watched by polling (every 2 s): a container the kubelet
 * restarted is a crash (onCrash), a pod the Deployment replaced takes its slot.
 *
 * A kill is a crash where the harness can have one: on kind the pod's process is a process of
 * this host, so it gets the signal itself; the pod is then deleted at once so the Deployment
 * starts a new pod — a new identity, which is what leader failover measures (the kubelet would
 * restart the container in the same pod, under the same identity, and it would take its own
 * Lease back). Elsewhere the pod is deleted with no grace: the kubelet stops it (SIGTERM first).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { CoordinationV1Api, CoreV1Api, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import type { ClusterHandle } from "../../../cluster/index.ts";
import { type CgroupUsage, readCgroupUsage } from "../../../container/cgroup-usage.ts";
import type { OperatorContainerHandle } from "../../../container/operator-replica.ts";
import { type Forward, forwardPod } from "../../../deploy/port-forward.ts";
import { HarnessError } from "../../../errors.ts";
import type { OperatorReplicaView, OperatorView } from "../../../measure/targets.ts";
import { type CrashInfo, leaseHolderAmong, type OperatorReplicas } from "../operators.ts";
import { savePodLogs } from "./pod-logs.ts";

interface Slot {
  index: number;
  pod: string;
  uid: string;
  forward: Forward;
  restarts: number;
  ready: boolean;
  /** The pod's main process on this host (kind), when the host runs it. */
  pid: number | undefined;
  /** Its container's cgroup accounting, last sampled (host-run pods only). */
  usage: CgroupUsage | undefined;
}

const POLL_MS = 2000;

function isReady(p: V1Pod): boolean {
  return (
    !p.metadata?.deletionTimestamp &&
    (p.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True")
  );
}

function restartsOf(p: V1Pod): number {
  return (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
}

export interface InClusterOperatorsOptions {
  kc: KubeConfig;
  namespace: string;
  /** Label selector of the operator's pods. */
  selector: string;
  metricsPort: number;
  cluster: ClusterHandle;
  log: (line: string) => void;
  /** The run directory: the pods' logs are saved there at the end of the run. */
  runDir: string;
}

export class InClusterOperators implements OperatorReplicas {
  private readonly slots: Slot[] = [];
  /** Slots' earlier pods (killed, restarted), kept for their end-of-run record. */
  private readonly retired: Slot[] = [];
  private readonly core: CoreV1Api;
  private readonly coordination: CoordinationV1Api;
  private readonly intentional = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private busy = false;
  private stopped = false;
  onCrash: (info: CrashInfo) => void = () => {};
  private readonly o: InClusterOperatorsOptions;

  constructor(o: InClusterOperatorsOptions) {
    this.o = o;
    this.view.lease = { namespace: o.namespace, name: "" };
    this.core = o.kc.makeApiClient(CoreV1Api);
    this.coordination = o.kc.makeApiClient(CoordinationV1Api);
  }

  private async pods(): Promise<V1Pod[]> {
    const list = await this.core.listNamespacedPod({
      namespace: this.o.namespace,
      labelSelector: this.o.selector,
    });
    return list.items.sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
  }

  private async slotFor(index: number, pod: V1Pod): Promise<Slot> {
    const name = pod.metadata?.name ?? "";
    return {
      index,
      pod: name,
      uid: pod.metadata?.uid ?? "",
      forward: await forwardPod(this.o.kc, this.o.namespace, name, this.o.metricsPort),
      restarts: restartsOf(pod),
      ready: isReady(pod),
      pid: undefined,
      usage: undefined,
    };
  }

  /** The Deployment already runs `count` Ready pods (deployForRun waited for them). */
  async start(count: number): Promise<void> {
    const ready = (await this.pods()).filter(isReady);
    if (ready.length < count)
      throw new HarnessError(
        `${ready.length} of ${count} operator pods (${this.o.selector}) are Ready in ${this.o.namespace}`,
      );
    for (const [i, pod] of ready.slice(0, count).entries()) this.slots.push(await this.slotFor(i, pod));
    await this.refreshPids();
    this.timer = setInterval(() => {
      // A slow round (a loaded apiserver) must not queue rounds behind it.
      if (this.busy) return;
      this.busy = true;
      this.polling = this.polling
        .then(() => this.poll())
        .catch(() => {})
        .finally(() => {
          this.busy = false;
        });
    }, POLL_MS);
  }

  private async refreshPids(): Promise<void> {
    if (!this.o.cluster.podProcesses) return;
    const byUid = await this.o.cluster.podProcesses(this.slots.map((s) => s.uid));
    for (const s of this.slots) {
      s.pid = byUid.get(s.uid)?.[0];
      if (s.pid !== undefined) s.usage = (await readCgroupUsage(s.pid)) ?? s.usage;
    }
  }

  /** A last sample of every live pod (end of run), in step with the 2 s poll. */
  async sampleNow(): Promise<void> {
    this.polling = this.polling.then(() => this.refreshPids()).catch(() => {});
    await this.polling;
  }

  /** Every pod's log into the run directory, for the diagnosis (before the namespace is removed). */
  async saveLogs(): Promise<void> {
    const pods = [...this.retired, ...this.slots].map((s) => ({ pod: s.pod, restarts: s.restarts }));
    const { missing } = await savePodLogs(this.core, this.o.namespace, pods, this.o.runDir);
    // Pods the harness itself killed are gone by design; a live pod's log missing is news.
    const live = missing.filter((f) => this.slots.some((s) => f.startsWith(`operator-${s.pod}.`)));
    if (live.length) this.o.log(`operator logs not readable: ${live.join(", ")}`);
  }

  /** Every pod of the run by slot, replaced ones first, with their last cgroup sample. */
  everyPod(): Array<{ pod: string; live: boolean; cgroup: CgroupUsage | null }> {
    return [...this.retired, ...this.slots].map((s) => ({
      pod: s.pod,
      live: this.slots.includes(s),
      cgroup: s.usage ?? null,
    }));
  }

  /** Follows restarts by the kubelet and readiness; the harness's own kills are not crashes. */
  private async poll(): Promise<void> {
    if (this.stopped) return;
    const pods = await this.pods();
    const byName = new Map(pods.map((p) => [p.metadata?.name ?? "", p]));
    for (const s of [...this.slots]) {
      const pod = byName.get(s.pod);
      s.ready = pod ? isReady(pod) : false;
      if (this.intentional.has(s.index)) continue;
      if (!pod) {
        // Gone without the harness (evicted, node lost): its replacement takes the slot.
        await this.adopt(s, pods);
        continue;
      }
      const restarts = restartsOf(pod);
      if (restarts > s.restarts) {
        const last = pod.status?.containerStatuses?.[0]?.lastState?.terminated;
        this.onCrash({
          index: s.index,
          identity: s.pod,
          code: last?.exitCode ?? null,
          signal: last?.signal === undefined ? null : String(last.signal),
          oomKilled: last?.reason === "OOMKilled",
        });
        s.restarts = restarts;
      }
    }
    await this.refreshPids();
  }

  readonly view: OperatorView = {
    replicas: (): OperatorReplicaView[] =>
      this.slots.map((s) => ({
        index: s.index,
        identity: s.pod,
        pid: s.pid,
        metricsUrl: `${s.forward.url}/metrics`,
        running: s.ready,
      })),
    // The Lease lives in the deployment's namespace (the operator's --leader-elect-namespace).
    lease: { namespace: "", name: "" },
  };

  leaderIdentity(): Promise<string | undefined> {
    return leaseHolderAmong(
      this.coordination,
      this.o.namespace,
      this.slots.map((s) => s.pod),
    );
  }

  replicaByIdentity(identity: string): { index: number } | undefined {
    return this.slots.find((s) => s.pod === identity);
  }

  private slot(index: number): Slot {
    const s = this.slots.find((x) => x.index === index);
    if (!s)
      throw new HarnessError(
        `there is no operator replica ${index} (the scenario runs ${this.slots.length})`,
      );
    return s;
  }

  async kill(index: number, signal: NodeJS.Signals): Promise<string> {
    this.intentional.add(index);
    const s = this.slot(index);
    s.ready = false;
    let how =
      signal === "SIGKILL"
        ? `pod ${s.pod} deleted with no grace period (the kubelet stops it: SIGTERM, SIGKILL after 2 s)`
        : `pod ${s.pod} deleted (the kubelet sends SIGTERM)`;
    if (s.pid !== undefined) {
      try {
        process.kill(s.pid, signal);
        how = `${signal} to pod ${s.pod}'s process (host pid ${s.pid}), then the pod deleted`;
      } catch {
        // Gone already: deleting the pod is all there is left to do.
      }
    }
    await this.deletePod(s.pod, signal === "SIGKILL" ? 0 : undefined);
    return how;
  }

  private async deletePod(name: string, gracePeriodSeconds: number | undefined): Promise<void> {
    await this.core
      .deleteNamespacedPod({
        name,
        namespace: this.o.namespace,
        ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
      })
      .catch((err: unknown) => {
        if ((err as { code?: number }).code !== 404) throw err;
      });
  }

  /**
   * The slot's pod is replaced: deleted (gracefully, unless kill() did it already), and the
   * Deployment's new pod, once Ready, takes the slot.
   */
  async restart(index: number): Promise<Slot> {
    const s = this.slot(index);
    this.intentional.add(index);
    try {
      const pods = await this.pods();
      const own = pods.find((p) => p.metadata?.name === s.pod);
      if (own && !own.metadata?.deletionTimestamp) await this.deletePod(s.pod, undefined);
      const deadline = performance.now() + 180_000;
      for (;;) {
        const next = await this.adopt(s, await this.pods());
        if (next) return next;
        if (performance.now() > deadline || this.stopped)
          throw new HarnessError(
            `no new Ready operator pod (${this.o.selector}) replaced ${s.pod} within 180 s`,
            {
              fix: `kubectl -n ${this.o.namespace} describe pods -l ${this.o.selector}`,
            },
          );
        await sleep(250);
      }
    } finally {
      this.intentional.delete(index);
    }
  }

  /** A Ready pod no slot holds takes slot `s` (the Deployment's replacement), if there is one. */
  private async adopt(s: Slot, pods: readonly V1Pod[]): Promise<Slot | undefined> {
    const taken = new Set(this.slots.map((x) => x.pod));
    const fresh = pods.find((p) => !taken.has(p.metadata?.name ?? "") && isReady(p));
    if (!fresh) return undefined;
    const next = await this.slotFor(s.index, fresh);
    await s.forward.close();
    this.retired.push(s);
    this.slots[this.slots.indexOf(s)] = next;
    await this.refreshPids();
    this.o.log(`operator replica ${s.index}: pod ${next.pod} replaced ${s.pod}`);
    return next;
  }

  containers(): Array<{ identity: string; handle: OperatorContainerHandle }> {
    return [];
  }

  everyContainer(): Array<{ identity: string; handle: OperatorContainerHandle }> {
    return [];
  }

  async stopAll(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.polling;
    for (const s of this.slots) await s.forward.close();
  }
}

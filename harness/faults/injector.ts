/**
 * The pause and partition faults, behind one entry: `inject` carries one out for its duration
 * (freeze, wait, thaw; cut, wait, heal) and records when it began and ended in the run's events;
 * `endAll` ends whatever is still in force, so a run that stops mid-fault (an error, Ctrl-C)
 * never leaves a process frozen (a frozen process cannot act on SIGTERM) or a replica cut off.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { HarnessError } from "../errors.ts";
import { type Freezable, frozenContainer, frozenProcess } from "./freeze.ts";
import type { LinkApi, ReplicaLinks } from "./replica-links.ts";

export type PauseTarget =
  | { kind: "operator"; replica: number | "leader" }
  | { kind: "mesh" }
  | { kind: "controlplane"; component: "kube-apiserver" | "etcd" };

export type Fault =
  | { type: "pause"; target: PauseTarget; durationMs: number }
  | { type: "partition"; replica: number | "leader"; from: LinkApi; durationMs: number };

/** What the faults act on, whichever runtime started it. */
export interface FaultTargets {
  replicas(): Array<{ index: number; identity: string; pid: number | undefined; containerId?: string }>;
  leaderIdentity(): Promise<string | undefined>;
  mesh: { pid(): number | undefined; containerId?: string };
  controlPlanePids(): Record<string, number>;
  /** Per-replica links; absent where the run could not give replicas their own (then no partition). */
  links: ReplicaLinks | undefined;
  events: { record(kind: string, source: string, detail?: Record<string, unknown>, at?: number): unknown };
  signal: AbortSignal;
}

/** How long a "-leader" fault waits for a running replica to hold the Lease. */
const LEADER_WAIT_MS = 60_000;

export class FaultInjector {
  private readonly active = new Set<() => Promise<void>>();
  private readonly t: FaultTargets;

  constructor(targets: FaultTargets) {
    this.t = targets;
  }

  async inject(fault: Fault): Promise<void> {
    if (fault.type === "partition") {
      await this.partition(fault);
      return;
    }
    // The leader may exit between reading the Lease and the signal (a replica that lost its Lease
    // exits); the pause then goes to whoever leads next.
    for (let attempt = 1; ; attempt++) {
      const target = await this.freezable(fault.target);
      try {
        await target.freeze();
      } catch (err) {
        if (attempt < 3 && fault.target.kind === "operator" && fault.target.replica === "leader") continue;
        throw err;
      }
      await this.pause(target, fault.durationMs);
      return;
    }
  }

  async endAll(): Promise<void> {
    const ends = [...this.active];
    this.active.clear();
    await Promise.allSettled(ends.map((end) => end()));
  }

  /** `f` is frozen: records it, holds it for durationMs and thaws it. */
  private async pause(f: Freezable, durationMs: number): Promise<void> {
    const thaw = () => f.thaw();
    const at = performance.now();
    this.active.add(thaw);
    this.t.events.record("fault.pause", "harness", { target: f.label, how: f.how, durationMs }, at);
    await this.hold(durationMs);
    if (!this.active.delete(thaw)) return;
    await f.thaw();
    this.t.events.record("fault.resume", "harness", {
      target: f.label,
      frozenSeconds: Math.round(performance.now() - at) / 1000,
    });
  }

  private async partition(fault: Extract<Fault, { type: "partition" }>): Promise<void> {
    const links = this.t.links;
    if (!links)
      throw new HarnessError("partition: this run's operator replicas have no links of their own", {
        fix: "partitions need operator.runtime process (the replicas reach the APIs through the harness's proxies)",
      });
    const replica = await this.replica(fault.replica);
    const heal = await links.cut(replica.identity, fault.from, fault.durationMs);
    const at = performance.now();
    this.active.add(heal);
    this.t.events.record(
      "fault.partition",
      "harness",
      { replica: replica.index, identity: replica.identity, from: fault.from, durationMs: fault.durationMs },
      at,
    );
    await this.hold(fault.durationMs);
    if (!this.active.delete(heal)) return;
    await heal();
    this.t.events.record("fault.heal", "harness", {
      identity: replica.identity,
      from: fault.from,
      cutSeconds: Math.round(performance.now() - at) / 1000,
    });
  }

  /** The fault's duration; a run being stopped ends it early. */
  private async hold(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.t.signal }).catch(() => {});
  }

  private async replica(which: number | "leader") {
    if (which === "leader") return this.leader();
    const all = this.t.replicas();
    const r = all.find((x) => x.index === which);
    if (!r) throw new HarnessError(`there is no operator replica ${which} (the run has ${all.length})`);
    return r;
  }

  /**
   * The replica holding the Lease, once one that runs does: a leader that has just exited (lost
   * its Lease, crashed) still holds it until a standby takes over.
   */
  private async leader() {
    const deadline = performance.now() + LEADER_WAIT_MS;
    for (;;) {
      const holder = await this.t.leaderIdentity().catch(() => undefined);
      const r = holder ? this.t.replicas().find((x) => x.identity === holder) : undefined;
      if (r && (r.pid !== undefined || r.containerId)) return r;
      if (performance.now() > deadline || this.t.signal.aborted)
        throw new HarnessError(
          `no running operator replica held the leader Lease within ${LEADER_WAIT_MS / 1000} s`,
        );
      await sleep(250);
    }
  }

  private async freezable(target: PauseTarget): Promise<Freezable> {
    switch (target.kind) {
      case "operator": {
        const r = await this.replica(target.replica);
        if (r.containerId) return frozenContainer(r.identity, r.containerId);
        if (r.pid === undefined)
          throw new HarnessError(`operator replica ${r.identity} is no process of this machine to pause`);
        return frozenProcess(r.identity, r.pid);
      }
      case "mesh": {
        if (this.t.mesh.containerId) return frozenContainer("mesh simulator", this.t.mesh.containerId);
        const pid = this.t.mesh.pid();
        if (pid === undefined)
          throw new HarnessError("the mesh simulator is no process of this machine to pause");
        return frozenProcess("mesh simulator", pid);
      }
      case "controlplane": {
        const pid = this.t.controlPlanePids()[target.component];
        if (pid === undefined)
          throw new HarnessError(`${target.component} is no process this harness can see to pause`, {
            fix: "pausing control-plane components needs the embedded or kind provider",
          });
        return frozenProcess(target.component, pid);
      }
    }
  }
}

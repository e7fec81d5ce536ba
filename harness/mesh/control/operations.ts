/**
 * Asynchronous operations (routing pushes, policy applies): each target site applies after a
 * small seeded delay — the simulated data plane — and records `appliedAt`; the operation converges
 * when the last site has applied. A site that is failed by a fault holds its apply until restored.
 */
import type { Operation } from "../../../contract/patronus-api/v1.ts";
import type { EventLog } from "../events/log.ts";
import { hashString, unit } from "../model/random.ts";
import type { DelayQueue } from "../timing/delay-queue.ts";

export interface ApplyDelay {
  minMs: number;
  maxMs: number;
}

interface Tracked {
  op: Operation;
  pending: number;
  onApplied: (site: string, atMs: number, op: Operation) => void;
}

const RETAINED_OPERATIONS = 10_000;

export class OperationStore {
  private readonly ops = new Map<string, Tracked>();
  private readonly parked = new Map<string, (() => void)[]>();
  private seq = 0;
  private readonly queue: DelayQueue;
  private readonly seed: number;
  private readonly delay: ApplyDelay;
  private readonly isSiteDown: (site: string) => boolean;
  private readonly events: EventLog;

  constructor(
    queue: DelayQueue,
    seed: number,
    delay: ApplyDelay,
    isSiteDown: (site: string) => boolean,
    events: EventLog,
  ) {
    this.queue = queue;
    this.seed = seed;
    this.delay = delay;
    this.isSiteDown = isSiteDown;
    this.events = events;
  }

  get(id: string): Operation | undefined {
    return this.ops.get(id)?.op;
  }

  submit(
    kind: Operation["kind"],
    target: string,
    sites: readonly string[],
    onApplied: (site: string, atMs: number, op: Operation) => void,
    nowMs = Date.now(),
  ): Operation {
    const id = `op-${String(++this.seq).padStart(6, "0")}`;
    const op: Operation = {
      id,
      kind,
      target,
      state: "Pending",
      submittedAt: new Date(nowMs).toISOString(),
      sites: sites.map((site) => ({ site })),
    };
    const tracked: Tracked = { op, pending: sites.length, onApplied };
    this.ops.set(id, tracked);
    this.evict();
    if (sites.length === 0) this.converge(tracked, nowMs);
    const opKey = hashString(id, this.seed);
    op.sites.forEach((entry, index) => {
      const span = this.delay.maxMs - this.delay.minMs;
      const delay = this.delay.minMs + span * unit(opKey, hashString(entry.site));
      this.queue.at(nowMs + delay, () => this.applyAt(tracked, index));
    });
    return op;
  }

  /** Called after faults change: sites that came back apply what they held. */
  resumeParked(): void {
    for (const [site, waiting] of this.parked) {
      if (this.isSiteDown(site)) continue;
      this.parked.delete(site);
      for (const run of waiting) run();
    }
  }

  private applyAt(tracked: Tracked, index: number): void {
    const entry = tracked.op.sites[index]!;
    if (this.isSiteDown(entry.site)) {
      const list = this.parked.get(entry.site) ?? [];
      list.push(() => this.applyAt(tracked, index));
      this.parked.set(entry.site, list);
      return;
    }
    const now = Date.now();
    entry.appliedAt = new Date(now).toISOString();
    tracked.onApplied(entry.site, now, tracked.op);
    if (--tracked.pending === 0) this.converge(tracked, now);
  }

  private converge(tracked: Tracked, atMs: number): void {
    const op = tracked.op;
    op.state = "Applied";
    op.convergedAt = new Date(atMs).toISOString();
    this.events.record(
      "operation.converged",
      {
        operationId: op.id,
        kind: op.kind,
        target: op.target,
        sites: op.sites.length,
        submittedAt: op.submittedAt,
      },
      atMs,
    );
  }

  private evict(): void {
    if (this.ops.size <= RETAINED_OPERATIONS) return;
    for (const [id, t] of this.ops) {
      if (this.ops.size <= RETAINED_OPERATIONS) break;
      if (t.op.state !== "Pending") this.ops.delete(id);
    }
  }
}

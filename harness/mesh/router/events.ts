/**
 * The router's event log: its own events (client streams, API faults, fanned-out faults, mesh
 * programs) plus every shard's, pulled on demand when a client reads /events and re-numbered in
 * the router's sequence. Shard events are tagged with `shard` and translated into what a client
 * of the router knows: operation and fault ids become router ids, shard cursors router cursors;
 * a fault fanned out to every shard is one `fault.injected` and one `fault.cleared`, and a policy
 * apply converges once, when its last shard has.
 */

import { EventLog, type MeshEvent, type MeshEventKind } from "../events/log.ts";
import { EventPage } from "../faults/schema.ts";
import { type CompositeIds, shardOperationId } from "./ids.ts";
import type { TelemetryMerge } from "./telemetry-merge.ts";
import type { ReplicaClient } from "./upstream.ts";

export interface FanFault {
  cleared: boolean;
  kind: string;
  target: unknown;
}

export interface FanOperation {
  partsConverged: number;
  parts: number;
  target: string;
  sites: readonly string[];
  submittedAt: string;
}

/** Shard events the router replaces with its own. */
const DROPPED = new Set(["telemetry.stream", "fault.injected", "mesh.programmed"]);
const CATCH_UP_MS = 1000;

export class MergedEvents {
  readonly log: EventLog;
  private readonly replicas: readonly ReplicaClient[];
  private readonly faults: CompositeIds<FanFault>;
  private readonly operations: CompositeIds<FanOperation>;
  private readonly merge: TelemetryMerge;
  private readonly since: number[];
  private chain: Promise<unknown> = Promise.resolve();
  private pulling: Promise<void> | undefined;

  constructor(
    replicas: readonly ReplicaClient[],
    faults: CompositeIds<FanFault>,
    operations: CompositeIds<FanOperation>,
    merge: TelemetryMerge,
    capacity: number,
  ) {
    this.replicas = replicas;
    this.faults = faults;
    this.operations = operations;
    this.merge = merge;
    this.log = new EventLog(capacity);
    this.since = replicas.map(() => 0);
  }

  /**
   * Runs `fn` with no pull recording in between, so a fault's `fault.injected` is logged before
   * any effect the shards record for it.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  /** Brings every shard's new events into the log (one pull at a time; callers share it). */
  pull(): Promise<void> {
    this.pulling ??= this.pullAll().finally(() => {
      this.pulling = undefined;
    });
    return this.pulling;
  }

  /**
   * Reading (and waiting for the streams) happens outside the lock, so a fault injection never
   * waits for a pull; only the recording is exclusive. Events a fault caused can only have been
   * read after its fan-out took the lock, so they are recorded after its `fault.injected`.
   */
  private async pullAll(): Promise<void> {
    const batches = await Promise.all(this.replicas.map((r) => this.read(r)));
    const all: { shard: number; e: MeshEvent }[] = [];
    for (const [shard, events] of batches.entries()) {
      await this.catchUpTelemetry(shard, events);
      for (const e of events) all.push({ shard, e });
    }
    all.sort((a, b) => a.e.atMs - b.e.atMs);
    await this.exclusive(async () => {
      for (const { shard, e } of all) {
        const detail = this.translate(shard, e);
        if (detail) this.log.record(e.kind, detail, e.atMs);
      }
    });
  }

  private async read(r: ReplicaClient): Promise<MeshEvent[]> {
    const out: MeshEvent[] = [];
    for (;;) {
      const reply = await r.expect(
        "GET",
        `/events?since=${this.since[r.index]}&limit=10000`,
        undefined,
        [200],
      );
      const page = EventPage.parse(reply.body);
      for (const e of page.events) out.push({ ...e, kind: e.kind as MeshEventKind });
      this.since[r.index] = page.lastSeq;
      if (page.events.length < 10_000) return out;
    }
  }

  /** Waits (bounded) until the shard's stream has delivered the cursors its events name. */
  private async catchUpTelemetry(shard: number, events: readonly MeshEvent[]): Promise<void> {
    let max = -1;
    for (const e of events) if (e.kind === "tunnels.state") max = Math.max(max, Number(e.detail.cursor));
    const deadline = Date.now() + CATCH_UP_MS;
    while ((this.merge.shardCursors[shard] ?? -1) < max && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private translate(shard: number, e: MeshEvent): Record<string, unknown> | undefined {
    if (DROPPED.has(e.kind)) return undefined;
    const d: Record<string, unknown> = { ...e.detail, shard };
    switch (e.kind) {
      case "fault.cleared":
      case "flap.transition": {
        const id = this.faults.idOfPart(shard, String(d.id));
        const fan = id ? this.faults.get(id) : undefined;
        if (!id || !fan) return d;
        d.id = id;
        if (e.kind === "flap.transition") return fan.parts[0]?.shard === shard ? d : undefined;
        if (fan.value.cleared) return undefined;
        fan.value.cleared = true;
        return d;
      }
      case "tunnels.state":
      case "telemetry.emitted": {
        const routerCursor = this.merge.routerCursorOf(shard, Number(d.cursor));
        d.shardCursor = d.cursor;
        if (routerCursor !== undefined) d.cursor = routerCursor;
        if (e.kind === "telemetry.emitted") d.subscribers = this.merge.publisher.subscribers.size;
        return d;
      }
      case "routing.applied":
      case "reroute.applied":
        d.operationId = shardOperationId(shard, String(d.operationId));
        return d;
      case "operation.converged": {
        const id = this.operations.idOfPart(shard, String(d.operationId));
        const fan = id ? this.operations.get(id) : undefined;
        if (!id || !fan) {
          d.operationId = shardOperationId(shard, String(d.operationId));
          return d;
        }
        if (++fan.value.partsConverged < fan.value.parts) return undefined;
        return {
          operationId: id,
          kind: "policy-apply",
          target: fan.value.target,
          sites: fan.value.sites.length,
          submittedAt: fan.value.submittedAt,
        };
      }
      default:
        return d;
    }
  }

  /** GET /events on the router's log, after a pull. */
  async page(since: number, limit: number, kinds: ReadonlySet<string> | undefined): Promise<EventPage> {
    await this.pull();
    const events = this.log.since(since, limit, kinds);
    return {
      events,
      lastSeq: events.length === limit ? events.at(-1)!.seq : Math.max(since, this.log.lastSeq),
      firstSeq: this.log.firstSeq,
    };
  }
}

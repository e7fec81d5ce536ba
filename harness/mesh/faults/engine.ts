/**
 * Active faults and what they do to the model. Link-level faults (fail, degrade, flap) are folded
 * into the LinkTable's overlay arrays by `recompute` — targets are resolved against the sites known
 * at that moment, so a site registered into a failed region is failed too. API faults are state the
 * HTTP layer consults per request.
 */
import type { EventLog } from "../events/log.ts";
import type { LinkTable } from "../model/link-table.ts";
import type { DelayQueue } from "../timing/delay-queue.ts";
import {
  ApiFaultRequest,
  DegradeRequest,
  type FailRequest,
  type Fault,
  type FaultTarget,
  type FlapRequest,
} from "./schema.ts";

export const DOWN_FAIL = 1;
export const DOWN_FLAP = 2;

export class FaultTargetError extends Error {
  override name = "FaultTargetError";
  readonly status: 400 | 404;
  constructor(message: string, status: 400 | 404) {
    super(message);
    this.status = status;
  }
}

interface Active {
  fault: Fault;
  /** For flaps: whether the target is in its down half now. */
  flapDown?: boolean;
  degrade?: { lat: number; jit: number; loss: number };
}

export interface ApiFaultState {
  unavailableUntil: number;
  latencyMs: number;
  latencyUntil: number;
  resetUntil: number;
  resetRemaining: number;
  streamRefusedUntil: number;
}

/** A caller cut off from the Patronus API (see ApiFaultRequest "partition"). */
export interface Partition {
  mode: "blackhole" | "reset";
  until: number;
}

interface ActivePartition extends Partition {
  id: string;
  /** Requests held by a blackhole partition, released when it ends. */
  waiters: Set<() => void>;
}

export interface FaultEngineHooks {
  /** Link overlays changed: re-evaluate telemetry now. */
  onLinksChanged: () => void;
  dropStreams: () => number;
  countTunnels: (linkSlots: ReadonlySet<number>) => number;
  /** Fault ids; the shard router shares one id space between its own and fanned-out faults. */
  nextId?: () => string;
}

export class FaultEngine {
  private readonly active = new Map<string, Active>();
  private seq = 0;
  readonly api: ApiFaultState = {
    unavailableUntil: 0,
    latencyMs: 0,
    latencyUntil: 0,
    resetUntil: 0,
    resetRemaining: 0,
    streamRefusedUntil: 0,
  };
  private readonly partitions = new Map<string, ActivePartition>();
  private readonly links: LinkTable;
  private readonly queue: DelayQueue;
  private readonly events: EventLog;
  private readonly hooks: FaultEngineHooks;

  constructor(links: LinkTable, queue: DelayQueue, events: EventLog, hooks: FaultEngineHooks) {
    this.links = links;
    this.queue = queue;
    this.events = events;
    this.hooks = hooks;
  }

  list(): Fault[] {
    return [...this.active.values()].map((a) => a.fault);
  }

  fail(req: FailRequest): Fault {
    const a = this.add("fail", req.target, req, req.durationMs);
    this.recompute();
    return a.fault;
  }

  degrade(input: DegradeRequest): Fault {
    const req = DegradeRequest.parse(input);
    const a = this.add("degrade", req.target, req, req.durationMs);
    a.degrade = { lat: req.addLatencyMs, jit: req.addJitterMs, loss: req.addLossPercent };
    this.recompute();
    return a.fault;
  }

  flap(req: FlapRequest): Fault {
    const a = this.add("flap", req.target, req, req.periodMs * req.count);
    a.flapDown = true;
    const half = req.periodMs / 2;
    const start = Date.now();
    for (let i = 1; i < req.count * 2; i++) {
      this.queue.at(start + i * half, () => {
        if (!this.active.has(a.fault.id)) return;
        a.flapDown = i % 2 === 0;
        this.events.record("flap.transition", {
          id: a.fault.id,
          down: a.flapDown,
          cycle: Math.floor(i / 2) + 1,
        });
        this.recompute();
      });
    }
    this.events.record("flap.transition", { id: a.fault.id, down: true, cycle: 1 }, start);
    this.recompute();
    return a.fault;
  }

  apiFault(input: ApiFaultRequest): Fault {
    const req = ApiFaultRequest.parse(input);
    const now = Date.now();
    const api = this.api;
    switch (req.kind) {
      case "unavailable":
        api.unavailableUntil = now + req.durationMs;
        return this.add("api-unavailable", undefined, req, req.durationMs).fault;
      case "latency":
        api.latencyMs = req.latencyMs;
        api.latencyUntil = now + req.durationMs;
        return this.add("api-latency", undefined, req, req.durationMs).fault;
      case "reset":
        api.resetUntil = req.durationMs === undefined ? Number.POSITIVE_INFINITY : now + req.durationMs;
        api.resetRemaining = req.count ?? Number.POSITIVE_INFINITY;
        return this.add("api-reset", undefined, req, req.durationMs).fault;
      case "drop-stream": {
        api.streamRefusedUntil = now + req.refuseMs;
        const fault = this.add("drop-stream", undefined, req, req.refuseMs || undefined).fault;
        const dropped = this.hooks.dropStreams();
        this.events.record("telemetry.stream", {
          action: "dropped",
          faultId: fault.id,
          connections: dropped,
        });
        if (!req.refuseMs) this.clear(fault.id, "completed");
        return fault;
      }
      case "partition": {
        const fault = this.add("api-partition", undefined, req, req.durationMs).fault;
        const previous = this.partitions.get(req.caller);
        this.partitions.set(req.caller, {
          id: fault.id,
          mode: req.mode,
          until: now + req.durationMs,
          waiters: previous?.waiters ?? new Set(),
        });
        // The replaced fault ends without releasing what the new one now holds.
        if (previous) this.clear(previous.id, "removed");
        return fault;
      }
    }
  }

  /** The partition cutting `caller` off now, if any. */
  partitionOf(caller: string, now = Date.now()): Partition | undefined {
    const p = this.partitions.get(caller);
    return p && now < p.until ? { mode: p.mode, until: p.until } : undefined;
  }

  /**
   * Resolves when the partition of `caller` ends (at once when there is none); `cancel` stops
   * waiting (the client gave up).
   */
  waitForHeal(caller: string): { healed: Promise<void>; cancel: () => void } {
    const p = this.partitions.get(caller);
    if (!p) return { healed: Promise.resolve(), cancel: () => {} };
    let release: () => void = () => {};
    const healed = new Promise<void>((resolve) => {
      release = resolve;
    });
    p.waiters.add(release);
    return { healed, cancel: () => p.waiters.delete(release) };
  }

  /** Consumes one reset from a count-limited reset fault; true when this request must be reset. */
  takeReset(now: number): boolean {
    const api = this.api;
    if (now >= api.resetUntil || api.resetRemaining <= 0) return false;
    api.resetRemaining--;
    if (api.resetRemaining <= 0) {
      for (const a of this.active.values())
        if (a.fault.kind === "api-reset") this.clear(a.fault.id, "completed");
    }
    return true;
  }

  /** Clears every link-level fault on exactly `target`. */
  restore(target: FaultTarget): string[] {
    const key = JSON.stringify(target);
    const ids = [...this.active.values()]
      .filter((a) => a.fault.target && JSON.stringify(a.fault.target) === key)
      .map((a) => a.fault.id);
    for (const id of ids) this.clear(id, "restored");
    return ids;
  }

  clear(id: string, reason: "restored" | "expired" | "completed" | "removed"): boolean {
    const a = this.active.get(id);
    if (!a) return false;
    this.active.delete(id);
    const api = this.api;
    switch (a.fault.kind) {
      case "api-unavailable":
        api.unavailableUntil = 0;
        break;
      case "api-latency":
        api.latencyUntil = 0;
        break;
      case "api-reset":
        api.resetUntil = 0;
        api.resetRemaining = 0;
        break;
      case "drop-stream":
        api.streamRefusedUntil = 0;
        break;
      case "api-partition": {
        const caller = String(a.fault.params.caller);
        const p = this.partitions.get(caller);
        if (p?.id === id) {
          this.partitions.delete(caller);
          for (const release of p.waiters) release();
        }
        break;
      }
    }
    this.events.record("fault.cleared", { id, kind: a.fault.kind, target: a.fault.target ?? null, reason });
    if (a.fault.target) this.recompute();
    return true;
  }

  clearAll(): string[] {
    const ids = [...this.active.keys()];
    for (const id of ids) this.clear(id, "removed");
    return ids;
  }

  /** Rebuilds the link overlays from the active faults. */
  recompute(): void {
    const l = this.links;
    l.faultDown.fill(0);
    l.addLat.fill(0);
    l.addJit.fill(0);
    l.addLoss.fill(0);
    for (const a of this.active.values()) {
      if (!a.fault.target) continue;
      const slots = this.resolve(a.fault.target, false);
      for (const s of slots) {
        if (a.fault.kind === "fail") l.faultDown[s]! |= DOWN_FAIL;
        else if (a.fault.kind === "flap" && a.flapDown) l.faultDown[s]! |= DOWN_FLAP;
        else if (a.degrade) {
          l.addLat[s]! += a.degrade.lat;
          l.addJit[s]! += a.degrade.jit;
          l.addLoss[s]! += a.degrade.loss;
        }
      }
    }
    this.hooks.onLinksChanged();
  }

  /** True when every link of the site is held down by a fault. */
  isSiteDown(site: string): boolean {
    const slot = this.links.siteSlot(site);
    if (slot < 0) return false;
    let any = false;
    for (const s of this.links.linksOfSite(slot)) {
      any = true;
      if (this.links.faultDown[s] === 0) return false;
    }
    return any;
  }

  private add(
    kind: Fault["kind"],
    target: FaultTarget | undefined,
    params: object,
    durationMs?: number,
  ): Active {
    const slots = target ? this.resolve(target, true) : new Set<number>();
    const now = Date.now();
    const id = this.hooks.nextId?.() ?? `fault-${++this.seq}`;
    const fault: Fault = {
      id,
      kind,
      ...(target ? { target } : {}),
      params: { ...params },
      injectedAt: new Date(now).toISOString(),
      ...(durationMs ? { expiresAt: new Date(now + durationMs).toISOString() } : {}),
      affectedTunnels: target ? this.hooks.countTunnels(slots) : 0,
    };
    const a: Active = { fault };
    this.active.set(id, a);
    if (durationMs)
      this.queue.at(now + durationMs, () => this.clear(id, kind === "flap" ? "completed" : "expired"));
    this.events.record(
      "fault.injected",
      { id, kind, target: target ?? null, params, links: slots.size },
      now,
    );
    return a;
  }

  /** Link slots of a target; with `strict`, an unknown target is an error (404) or a misuse (400). */
  private resolve(target: FaultTarget, strict: boolean): Set<number> {
    const l = this.links;
    const out = new Set<number>();
    const fail = (msg: string, status: 400 | 404 = 404) => {
      if (strict) throw new FaultTargetError(msg, status);
      return out;
    };
    switch (target.kind) {
      case "link": {
        const s = l.linkSlot(target.site, target.link);
        if (s < 0) return fail(`no link ${target.link} at a known site ${target.site}`);
        out.add(s);
        return out;
      }
      case "site":
      case "hub": {
        const slot = l.siteSlot(target.site);
        if (slot < 0) return fail(`unknown site ${target.site}`);
        if (target.kind === "hub" && !l.sites[slot]!.hub)
          return fail(`site ${target.site} is not a hub`, 400);
        for (const s of l.linksOfSite(slot)) out.add(s);
        return out;
      }
      case "region": {
        for (const [, slot] of l.siteSlots()) {
          if (l.sites[slot]!.region !== target.region) continue;
          for (const s of l.linksOfSite(slot)) out.add(s);
        }
        if (out.size === 0) return fail(`no known site in region ${target.region}`);
        return out;
      }
    }
  }
}

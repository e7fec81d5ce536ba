/**
 * What each site's data plane currently does: the routing config it last applied, which tunnel
 * carries each traffic class, and whether that class is interrupted (its tunnel is Down). The
 * events it records (reroute.applied, traffic.interrupted, traffic.restored) are what failover
 * convergence is measured from, end to end.
 */
import type { ClassRoute, RoutingConfig } from "../../../contract/patronus-api/v1.ts";
import type { EventLog } from "../events/log.ts";

export interface AppliedRouting {
  classes: ClassRoute[];
  operationId: string;
  appliedAt: string;
}

interface Interruption {
  tunnel: string;
  sinceMs: number;
}

const key = (site: string, cls: string) => `${site}\u0000${cls}`;

export class RoutingState {
  private readonly applied = new Map<string, AppliedRouting>();
  private readonly carriers = new Map<string, Set<string>>();
  private readonly interrupted = new Map<string, Interruption>();
  private readonly events: EventLog;
  private readonly isTunnelDown: (id: string) => boolean;

  constructor(events: EventLog, isTunnelDown: (id: string) => boolean) {
    this.events = events;
    this.isTunnelDown = isTunnelDown;
  }

  get(site: string): AppliedRouting | undefined {
    return this.applied.get(site);
  }

  /** The site's data plane switches to `config` now. */
  apply(site: string, config: RoutingConfig, operationId: string, submittedAtMs: number, atMs: number): void {
    const before = this.applied.get(site);
    const previous = new Map((before?.classes ?? []).map((c) => [c.class, c.activeTunnel]));
    const at = new Date(atMs).toISOString();
    for (const c of before?.classes ?? []) this.carriers.get(c.activeTunnel)?.delete(key(site, c.class));
    for (const c of config.classes) {
      const set = this.carriers.get(c.activeTunnel) ?? new Set<string>();
      this.carriers.set(c.activeTunnel, set);
      set.add(key(site, c.class));
      const from = previous.get(c.class);
      if (from !== c.activeTunnel) {
        this.events.record(
          "reroute.applied",
          {
            site,
            class: c.class,
            from: from ?? null,
            to: c.activeTunnel,
            operationId,
            applyMs: atMs - submittedAtMs,
          },
          atMs,
        );
      }
      this.settle(site, c.class, c.activeTunnel, atMs, "reroute");
    }
    for (const [cls] of previous) {
      if (!config.classes.some((c) => c.class === cls)) this.interrupted.delete(key(site, cls));
    }
    this.applied.set(site, { classes: config.classes, operationId, appliedAt: at });
    this.events.record("routing.applied", { site, operationId, classes: config.classes.length }, atMs);
  }

  forget(site: string): void {
    const before = this.applied.get(site);
    for (const c of before?.classes ?? []) {
      this.carriers.get(c.activeTunnel)?.delete(key(site, c.class));
      this.interrupted.delete(key(site, c.class));
    }
    this.applied.delete(site);
  }

  /** Tunnel state transitions from the telemetry engine. */
  onTunnelStates(changes: readonly { id: string; down: boolean }[], atMs: number): void {
    for (const change of changes) {
      const carried = this.carriers.get(change.id);
      if (!carried || carried.size === 0) continue;
      const hit: { site: string; class: string }[] = [];
      for (const k of carried) {
        const [site, cls] = k.split("\u0000") as [string, string];
        if (change.down) {
          if (!this.interrupted.has(k)) {
            this.interrupted.set(k, { tunnel: change.id, sinceMs: atMs });
            hit.push({ site, class: cls });
          }
        } else {
          this.settle(site, cls, change.id, atMs, "tunnel-recovered");
        }
      }
      if (hit.length > 0)
        this.events.record("traffic.interrupted", { tunnel: change.id, carried: hit }, atMs);
    }
  }

  private settle(site: string, cls: string, tunnel: string, atMs: number, reason: string): void {
    const k = key(site, cls);
    const down = this.isTunnelDown(tunnel);
    const was = this.interrupted.get(k);
    if (down) {
      if (!was) {
        this.interrupted.set(k, { tunnel, sinceMs: atMs });
        this.events.record("traffic.interrupted", { tunnel, carried: [{ site, class: cls }] }, atMs);
      }
      return;
    }
    if (was) {
      this.interrupted.delete(k);
      this.events.record(
        "traffic.restored",
        { site, class: cls, from: was.tunnel, to: tunnel, reason, outageMs: atMs - was.sinceMs },
        atMs,
      );
    }
  }
}

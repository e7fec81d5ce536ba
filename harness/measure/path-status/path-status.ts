/**
 * Watches Path objects: which tunnels exist as Paths and the state their status reports. Gives
 * wait-for "paths" its answer (every tunnel the live Sites imply is a Path with a state), and
 * path_status_latency: from a change in the mesh (a fault that takes tunnels down, or its
 * restore) to the Path status showing it, per affected tunnel.
 */
import { GROUP, PATH, VERSION } from "../../../contract/reference-crds/v1alpha1.ts";
import {
  computeTunnels,
  type Topology,
  TopologyError,
  type TopologySite,
} from "../../mesh/topology/tunnels.ts";
import type { Measurement, MeasurementContext } from "../measurement.ts";
import { ResourceWatch } from "../watch/resource-watch.ts";
import { PathCompletion } from "./completion.ts";

interface PendingState {
  state: string;
  since: number;
}

export class PathStatusMeasurement implements Measurement {
  readonly name = "path-status";
  private readonly paths = new PathCompletion();
  private readonly pending = new Map<string, PendingState>();
  private readonly waiters = new Set<() => void>();
  private watch: ResourceWatch | undefined;
  private ctx: MeasurementContext | undefined;
  private expectedCache: { liveVersion: number; ids: Set<string> } | undefined;
  private readonly topology: () => Topology;
  private readonly sitesOf: () => TopologySite[];
  private readonly liveVersion: () => number;
  unmatched = 0;

  /**
   * liveVersion changes whenever a Site joins or leaves the live set (the ledger's liveVersion);
   * the expected tunnels are recomputed from liveSites only then.
   */
  constructor(options: {
    topology: () => Topology;
    liveSites: () => TopologySite[];
    liveVersion: () => number;
  }) {
    this.topology = options.topology;
    this.sitesOf = options.liveSites;
    this.liveVersion = options.liveVersion;
  }

  async start(ctx: MeasurementContext): Promise<void> {
    this.ctx = ctx;
    this.watch = new ResourceWatch({
      objects: ctx.objects,
      path: `/apis/${GROUP}/${VERSION}/namespaces/${ctx.namespace}/${PATH.plural}`,
      kind: PATH.kind,
      namespace: ctx.namespace,
      onEvent: (type, obj, at) => {
        const name = obj.metadata?.name;
        if (!name) return;
        if (type === "DELETED") {
          this.paths.delete(name);
        } else {
          const state = (obj.status as { state?: string } | undefined)?.state;
          this.paths.set(name, state);
          const p = this.pending.get(name);
          if (p && state === p.state && at >= p.since) {
            ctx.store.record("path_status_latency", at - p.since);
            this.pending.delete(name);
          }
        }
        for (const w of [...this.waiters]) w();
      },
      onError: (err) => ctx.events.record("watch.restart", this.name, { error: String(err) }),
    });
    await this.watch.start();
  }

  /** A mesh change at `since` should turn these Paths' status to `state`. */
  expect(tunnelIds: Iterable<string>, state: "Up" | "Down" | "Degraded", since: number): number {
    let n = 0;
    for (const id of tunnelIds) {
      if (this.pending.has(id)) this.unmatched++;
      this.pending.set(id, { state, since });
      n++;
    }
    return n;
  }

  get pathCount(): number {
    return this.paths.pathCount;
  }

  /** Pending expectations not yet met (fault effects the operator never reported). */
  get outstanding(): number {
    return this.pending.size;
  }

  expectedTunnels(): Set<string> {
    const liveVersion = this.liveVersion();
    if (this.expectedCache?.liveVersion !== liveVersion) {
      let ids: Set<string>;
      try {
        ids = new Set(computeTunnels(this.sitesOf(), this.topology()).map((t) => t.id));
      } catch (err) {
        // Early in a burst no hub may exist yet: no tunnel can be expected (nor built) until one does.
        if (!(err instanceof TopologyError)) throw err;
        ids = new Set();
      }
      this.expectedCache = { liveVersion, ids };
      this.paths.setExpected(ids);
    }
    return this.expectedCache.ids;
  }

  complete(): boolean {
    this.expectedTunnels();
    return this.paths.complete;
  }

  /** Expected tunnels whose Path reports a state, of how many are expected (Paths over time). */
  reporting(): { reporting: number; expected: number } {
    this.expectedTunnels();
    return { reporting: this.paths.reportingCount, expected: this.paths.expectedCount };
  }

  describeMissing(): string {
    const expected = this.expectedTunnels();
    const missing = this.paths.missing(5);
    const extra = this.paths.extra(5);
    return `${expected.size} tunnels expected, ${this.paths.pathCount} Paths; without state: ${missing.join(", ") || "none"}; unexpected: ${extra.join(", ") || "none"}`;
  }

  settled(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.complete()) return Promise.resolve(true);
    return new Promise((resolve) => {
      let scheduled = false;
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        signal?.removeEventListener("abort", abort);
        resolve(ok);
      };
      // Paths arrive in thousands; judge at most every 50 ms rather than per event.
      const check = () => {
        if (scheduled) return;
        scheduled = true;
        setTimeout(() => {
          scheduled = false;
          if (this.complete()) finish(true);
        }, 50);
      };
      const abort = () => finish(false);
      const timer = setTimeout(() => finish(this.complete()), timeoutMs);
      this.waiters.add(check);
      signal?.addEventListener("abort", abort, { once: true });
    });
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    this.watch?.stop();
    if (this.pending.size > 0) {
      ctx.events.record("path-status.unobserved", this.name, {
        count: this.pending.size,
        tunnels: [...this.pending.keys()].slice(0, 5),
      });
    }
    ctx.store.gauge("path_status_unobserved", this.pending.size, "count");
  }

  checkpoint(): Record<string, number> {
    return { paths: this.paths.pathCount };
  }

  progress(): string | undefined {
    return this.ctx ? `paths ${this.paths.pathCount}/${this.expectedTunnels().size}` : undefined;
  }
}

/**
 * Failover convergence from the simulator's event log, end to end: a fault is injected, traffic
 * of a (site, class) is interrupted, and the operator's reroute restores it.
 *   path_failover_convergence — link faults: injected → reroute applied (traffic restored);
 *   site_failover_convergence — site/hub/region faults: the same, for the traffic of the others;
 *   api_outage_drain          — Patronus API outage cleared → every change requested before
 *                               then observed done (the backlog drained, end to end);
 *   patronus_request_rate     — requests/s the simulator served; outage_request_rate_max is
 *                               its peak during a Patronus API outage (there must be no storm).
 * Restorations because the fault itself cleared (not a reroute) count in failover_not_rerouted.
 * Mesh events are mirrored into the run's events for the failover timeline.
 */

import type { Measurement, MeasurementContext } from "../measurement.ts";
import type { MeshEventView } from "../targets.ts";
import { RequestRate } from "./request-rate.ts";

interface ActiveFault {
  id: string;
  kind: string;
  targetKind: string | undefined;
  atMs: number;
}

const MIRRORED = new Set([
  "fault.injected",
  "fault.cleared",
  "reroute.applied",
  "traffic.interrupted",
  "traffic.restored",
]);

export class MeshFailoverMeasurement implements Measurement {
  private busy = false;
  readonly name = "mesh-failover";
  private since = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private lastFault: ActiveFault | undefined;
  private readonly interrupted = new Map<string, ActiveFault | undefined>();
  private readonly outageClears: number[] = [];
  private readonly clearedIds = new Set<string>();
  /** [start, end] (run seconds) of Patronus API outages, for the request rate during them. */
  private readonly outages: Array<[number, number]> = [];
  private readonly requestRate = new RequestRate();

  async start(ctx: MeasurementContext): Promise<void> {
    this.since = (await ctx.mesh.events(0).catch(() => [])).at(-1)?.seq ?? 0;
    this.timer = setInterval(() => {
      // A slow round (stalled loop, slow endpoint) must not overlap the next one.
      if (this.busy) return;
      this.busy = true;
      this.polling = this.poll(ctx).finally(() => {
        this.busy = false;
      });
    }, 250);
  }

  private async poll(ctx: MeasurementContext): Promise<void> {
    let events: MeshEventView[];
    try {
      events = await ctx.mesh.events(this.since);
    } catch {
      return;
    }
    for (const e of events) {
      this.since = e.seq;
      this.onEvent(ctx, e);
    }
    if (!this.requestRate.due(performance.now())) return;
    const served = await ctx.mesh.requestCount?.().catch(() => undefined);
    if (served === undefined) return;
    const now = performance.now();
    const rate = this.requestRate.reading(served, now);
    if (rate !== undefined) ctx.store.point("patronus_request_rate", rate, "1/s", now);
  }

  private onEvent(ctx: MeasurementContext, e: MeshEventView): void {
    const perfAt = e.atMs - performance.timeOrigin;
    if (
      MIRRORED.has(e.kind) &&
      (e.kind.startsWith("fault") || ctx.store.counterValue("mirrored_mesh_events") < 500)
    ) {
      ctx.events.record(e.kind, "mesh", e.detail, perfAt);
      ctx.store.count("mirrored_mesh_events");
    }
    const d = e.detail;
    switch (e.kind) {
      case "fault.injected":
        if (d.kind === "api-unavailable")
          this.outages.push([ctx.store.elapsedSeconds(perfAt), Number.POSITIVE_INFINITY]);
        this.lastFault = {
          id: String(d.id),
          kind: String(d.kind),
          targetKind: (d.target as { kind?: string } | null)?.kind,
          atMs: e.atMs,
        };
        break;
      case "fault.cleared":
        if (d.kind === "api-unavailable" && !this.clearedIds.has(String(d.id))) {
          this.clearedIds.add(String(d.id));
          this.outageClears.push(perfAt);
          const open = this.outages.at(-1);
          if (open && open[1] === Number.POSITIVE_INFINITY) open[1] = ctx.store.elapsedSeconds(perfAt);
        }
        break;
      case "traffic.interrupted":
        for (const c of (d.carried as Array<{ site: string; class: string }>) ?? []) {
          this.interrupted.set(`${c.site}/${c.class}`, this.lastFault);
        }
        break;
      case "traffic.restored": {
        const key = `${d.site}/${d.class}`;
        if (!this.interrupted.has(key)) break;
        const fault = this.interrupted.get(key);
        this.interrupted.delete(key);
        if (d.reason !== "reroute") {
          ctx.store.count("failover_not_rerouted");
          break;
        }
        if (!fault) break;
        const metric =
          fault.targetKind === "link" ? "path_failover_convergence" : "site_failover_convergence";
        ctx.store.record(metric, e.atMs - fault.atMs);
        break;
      }
    }
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
    await this.poll(ctx);
    ctx.store.count("failover_unrestored", this.interrupted.size);
    ctx.store.count("failover_not_rerouted", 0);
    const rates = ctx.store.seriesPoints("patronus_request_rate");
    for (const [start, end] of this.outages) {
      const during = rates.filter(([t]) => t > start && t <= end).map(([, v]) => v);
      if (during.length > 0) ctx.store.gauge("outage_request_rate_max", Math.max(...during), "1/s");
    }
    // Drained: every change requested before the API came back has been observed done.
    const backlog = ctx.store.seriesPoints("backlog_oldest_request");
    for (const clearedAt of this.outageClears) {
      const t0 = ctx.store.elapsedSeconds(clearedAt);
      const drained = backlog.find(([t, oldest]) => t >= t0 && (oldest < 0 || oldest >= t0));
      if (drained) ctx.store.record("api_outage_drain", (drained[0] - t0) * 1000);
      else ctx.store.count("api_outage_not_drained");
    }
  }
}

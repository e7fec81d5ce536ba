/**
 * What a running run has recorded so far, collected from its feed for the live charts: series,
 * counters and gauges as they enter the store, the latency histograms, the event log and the
 * phases begun (the checkpoints taken are the feed's own). The histograms are recorded again here from the samples: reading the store's
 * would mean encoding each one at every update.
 */
import type { Histogram } from "hdr-histogram-js";
import type { RunEvent } from "../../measure/events/run-events.ts";
import type { StoreSample } from "../../measure/metrics/store.ts";
import type { RunSoFar } from "../../report/chart-data/types.ts";
import { newHistogram, recordedBuckets, recordValues } from "../../results/histogram.ts";
import type { Checkpoint, Metric, Phase } from "../../results/schema.ts";

interface OpenPhase {
  name: string;
  kind: string;
  startedAt: number;
  finishedAt?: number;
}

export class RunRecording {
  /** Whether anything arrived since the last `soFar`. */
  changed = true;
  /** The latest time a sample or event carried, in seconds since the run started. */
  latestT = 0;
  private readonly metrics = new Map<string, Metric>();
  private readonly histograms = new Map<string, { unit: string; histogram: Histogram }>();
  private readonly events: RunEvent[] = [];
  private readonly phases: OpenPhase[] = [];

  sample(s: StoreSample): void {
    this.latestT = Math.max(this.latestT, s.t);
    this.changed = true;
    if (s.type === "distribution") {
      let d = this.histograms.get(s.name);
      if (!d) {
        d = { unit: s.unit, histogram: newHistogram() };
        this.histograms.set(s.name, d);
      }
      recordValues(d.histogram, [s.value]);
    } else if (s.type === "series") {
      const m = this.metrics.get(s.name);
      if (m?.type === "series") m.points.push([s.t, s.value]);
      else this.metrics.set(s.name, { type: "series", unit: s.unit, points: [[s.t, s.value]] });
    } else this.metrics.set(s.name, { type: s.type, unit: s.unit, value: s.value });
  }

  event(e: RunEvent): void {
    this.latestT = Math.max(this.latestT, e.t);
    this.changed = true;
    this.events.push(e);
    const name = typeof e.detail.name === "string" ? e.detail.name : undefined;
    if (!name) return;
    if (e.kind === "phase.start")
      this.phases.push({
        name,
        kind: typeof e.detail.kind === "string" ? e.detail.kind : name,
        startedAt: e.t,
      });
    else if (e.kind === "phase.end") {
      const open = this.phases.findLast((p) => p.name === name && p.finishedAt === undefined);
      if (open) open.finishedAt = e.t;
    }
  }

  /** The run so far, `durationSeconds` after it started (a phase still going ends there). */
  soFar(durationSeconds: number, startedAt: string, checkpoints: readonly Checkpoint[] = []): RunSoFar {
    this.changed = false;
    const phases: Phase[] = this.phases.map((p) => ({
      name: p.name,
      kind: p.kind,
      startedAt: p.startedAt,
      finishedAt: p.finishedAt ?? Math.max(p.startedAt, durationSeconds),
    }));
    return {
      metrics: Object.fromEntries(this.metrics),
      run: { durationSeconds, startedAt },
      events: this.events,
      phases,
      checkpoints: [...checkpoints],
      latencies: [...this.histograms].map(([name, { unit, histogram }]) => ({
        name,
        unit,
        count: histogram.totalCount,
        buckets: () => recordedBuckets(histogram),
      })),
    };
  }
}

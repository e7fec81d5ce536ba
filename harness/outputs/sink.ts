/** What every `--out` sink is given during a run, and what it reports at the end. */
import type { RunEventLog } from "../measure/events/run-events.ts";
import type { ScrapeFeed } from "../measure/metrics/scrape-feed.ts";
import type { MetricStore } from "../measure/metrics/store.ts";
import type { Checkpoint, Results } from "../results/schema.ts";
import type { SinkKind } from "./spec.ts";

/** One run (one repeat) as the sinks see it. */
export interface RunFeed {
  id: string;
  /** Wall-clock milliseconds at the run's start: store and event times are seconds after it. */
  startedAtMs: number;
  store: MetricStore;
  events: RunEventLog;
  /** The operator's own /metrics as the run scrapes them (absent where nothing scrapes). */
  scrapes?: ScrapeFeed;
  /** The scenario's phase names in order (the live view's progress). */
  phases?: readonly string[];
  /** The run's progress line as the console shows it. */
  status?: () => string;
  /** The cost-curve checkpoints taken so far (the live view's cost curve). */
  checkpoints?: () => readonly Checkpoint[];
  /** scenario, run_id, git_commit, operator, cluster_provider: on every series a sink sends. */
  labels: Record<string, string>;
}

export interface SinkReport {
  kind: SinkKind;
  target: string;
  sent: number;
  dropped: number;
  /** The last failure, when something was dropped. */
  lastError?: string;
}

export interface OutputSink {
  readonly kind: SinkKind;
  readonly target: string;
  /** Starts following a run's store and events; returns how to stop following it. */
  attach(run: RunFeed): () => void;
  /** The run's results are written: its final figures, thresholds and verdict. */
  runEnded(run: RunFeed, results: Results): void;
  /** Sends or writes what is queued, for at most `deadlineMs`; what is left is counted as dropped. */
  close(deadlineMs: number): Promise<SinkReport>;
}

/** A stored metric key `name{a="b"}` as a name and labels. */
export function splitMetricKey(key: string): { name: string; labels: Record<string, string> } {
  const brace = key.indexOf("{");
  if (brace === -1) return { name: key, labels: {} };
  const labels: Record<string, string> = {};
  for (const m of key.slice(brace + 1, -1).matchAll(/([\w.-]+)="([^"]*)"/g)) labels[m[1]!] = m[2]!;
  return { name: key.slice(0, brace), labels };
}

/** Wall-clock milliseconds of a store/event time (seconds since the run started). */
export function wallMs(run: RunFeed, t: number): number {
  return Math.round(run.startedAtMs + t * 1000);
}

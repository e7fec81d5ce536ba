/**
 * The `--out` sinks of a command: opened once (file sinks' files created), given each run
 * (repeat) to follow, closed at the end with a deadline. A sink never fails or holds up a run:
 * whatever it throws is counted as its failure, and its report says what it sent and dropped.
 */
import type { Results } from "../results/schema.ts";
import { prepareOutFile } from "../run/output-dir.ts";
import { CSV_LINES } from "./csv-lines.ts";
import { JSON_LINES } from "./json-lines.ts";
import { LineFileSink } from "./line-file.ts";
import type { LiveView } from "./live/view.ts";
import { RemoteWriteSink } from "./remote-write/sink.ts";
import type { OutputSink, RunFeed, SinkReport } from "./sink.ts";
import type { SinkSpec } from "./spec.ts";

export type { RunFeed, SinkReport } from "./sink.ts";
export { checkOutArguments, parseOutArguments, type SinkSpec } from "./spec.ts";

/** How long the end of a command waits for sinks to deliver what is queued. */
export const CLOSE_DEADLINE_MS = 15_000;

export interface FollowedRun {
  ended(results: Results): void;
  stop(): void;
}

export class Outputs {
  readonly sinks: readonly OutputSink[];
  /** scenario, git_commit, operator, cluster_provider: the labels of every run of this command. */
  readonly labels: Record<string, string>;
  /** `run --dashboard`'s page, following every run beside the sinks. */
  readonly live: LiveView | undefined;
  private readonly failures = new Map<OutputSink, string>();

  constructor(sinks: readonly OutputSink[], labels: Record<string, string>, live?: LiveView) {
    this.sinks = sinks;
    this.labels = labels;
    this.live = live;
  }

  private guard(sink: OutputSink, step: () => void): void {
    try {
      step();
    } catch (err) {
      this.failures.set(sink, (err as Error).message);
    }
  }

  /** `run.labels` (this run's own, e.g. its operator in an A/B) go over the command's. */
  follow(run: Omit<RunFeed, "labels"> & { labels?: Record<string, string> }): FollowedRun {
    const feed: RunFeed = { ...run, labels: { ...this.labels, ...run.labels } };
    const stops: Array<() => void> = [];
    for (const sink of this.sinks) this.guard(sink, () => stops.push(sink.attach(feed)));
    if (this.live) stops.push(this.live.attach(feed));
    return {
      ended: (results) => {
        for (const sink of this.sinks) this.guard(sink, () => sink.runEnded(feed, results));
      },
      stop: () => {
        for (const stop of stops.splice(0)) stop();
      },
    };
  }

  async close(deadlineMs = CLOSE_DEADLINE_MS): Promise<SinkReport[]> {
    return Promise.all(
      this.sinks.map(async (sink) => {
        const report = await sink.close(deadlineMs);
        const failure = this.failures.get(sink);
        return failure ? { ...report, lastError: failure } : report;
      }),
    );
  }
}

export async function openOutputs(
  specs: readonly SinkSpec[],
  labels: Record<string, string>,
  live?: LiveView,
): Promise<Outputs> {
  const sinks: OutputSink[] = [];
  for (const spec of specs) {
    if (spec.kind === "prometheus-rw") sinks.push(new RemoteWriteSink(spec.target));
    else {
      const file = await prepareOutFile(spec.target);
      sinks.push(new LineFileSink(spec.kind, file, spec.kind === "json" ? JSON_LINES : CSV_LINES));
    }
  }
  return new Outputs(sinks, labels, live);
}

/** The summary's lines: per sink, what it sent and dropped. */
export function renderSinkReports(reports: readonly SinkReport[]): string {
  return reports
    .map(
      (r) =>
        `out ${r.kind}=${r.target}: ${r.sent} sent, ${r.dropped} dropped${r.lastError ? ` (last error: ${r.lastError})` : ""}\n`,
    )
    .join("");
}

/** output_samples_sent / output_samples_dropped per sink, for results.json. */
export function sinkMetrics(reports: readonly SinkReport[]): Results["metrics"] {
  const out: Results["metrics"] = {};
  for (const r of reports) {
    const labels = `{sink="${r.kind}",target="${r.target.replaceAll('"', "'")}"}`;
    out[`output_samples_sent${labels}`] = { type: "counter", unit: "count", value: r.sent };
    out[`output_samples_dropped${labels}`] = { type: "counter", unit: "count", value: r.dropped };
  }
  return out;
}

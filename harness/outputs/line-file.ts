/**
 * A sink that appends one line per sample or event to a file as the run goes. The file is a
 * stream, not a result: it is written in order and is complete when the command ends. A disk
 * slower than the run never holds the run up: beyond MAX_BUFFERED bytes waiting, lines are
 * dropped and counted.
 */

import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import type { RunEvent } from "../measure/events/run-events.ts";
import type { StoreSample } from "../measure/metrics/store.ts";
import type { Results } from "../results/schema.ts";
import type { OutputSink, RunFeed, SinkReport } from "./sink.ts";
import type { SinkKind } from "./spec.ts";

const MAX_BUFFERED = 16 * 1024 * 1024;

export interface LineFormat {
  header?: string;
  sample(run: RunFeed, s: StoreSample): string;
  event(run: RunFeed, e: RunEvent): string | undefined;
  /** Lines for the thresholds and the verdict. */
  end(run: RunFeed, results: Results): string[];
}

export class LineFileSink implements OutputSink {
  readonly kind: SinkKind;
  readonly target: string;
  private readonly format: LineFormat;
  private readonly stream: WriteStream;
  private sent = 0;
  private dropped = 0;
  private lastError: string | undefined;

  constructor(kind: SinkKind, target: string, format: LineFormat) {
    this.kind = kind;
    this.target = target;
    this.format = format;
    this.stream = createWriteStream(target, { flags: "w" });
    this.stream.on("error", (err) => {
      this.lastError = err.message;
    });
    if (format.header) this.stream.write(`${format.header}\n`);
  }

  private write(line: string | undefined): void {
    if (line === undefined) return;
    if (this.lastError !== undefined || this.stream.writableLength > MAX_BUFFERED) {
      this.dropped++;
      return;
    }
    this.stream.write(`${line}\n`);
    this.sent++;
  }

  attach(run: RunFeed): () => void {
    const offSamples = run.store.subscribe((s) => this.write(this.format.sample(run, s)));
    const offEvents = run.events.subscribe((e) => this.write(this.format.event(run, e)));
    return () => {
      offSamples();
      offEvents();
    };
  }

  runEnded(run: RunFeed, results: Results): void {
    for (const line of this.format.end(run, results)) this.write(line);
  }

  async close(): Promise<SinkReport> {
    if (!this.stream.closed) {
      this.stream.end();
      await Promise.race([once(this.stream, "close"), once(this.stream, "error")]).catch(() => undefined);
    }
    return {
      kind: this.kind,
      target: this.target,
      sent: this.sent,
      dropped: this.dropped,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }
}

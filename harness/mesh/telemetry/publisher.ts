/**
 * The telemetry stream's fan-out: each update is serialised once into an SSE frame, kept in a
 * bounded window for resuming, and written to every subscriber. A subscriber that cannot keep up
 * (its socket buffer past the limit) is disconnected; it resumes from its cursor on reconnect.
 */
import type { ServerResponse } from "node:http";

interface Frame {
  cursor: number;
  text: string;
}

export interface Subscriber {
  res: ServerResponse;
  connectedAt: number;
}

export interface PublisherOptions {
  /** Updates kept for resuming (by count and by total bytes). */
  retainFrames: number;
  retainBytes: number;
  /** A subscriber with more than this many bytes unsent is dropped. */
  maxBufferedBytes: number;
}

export class TelemetryPublisher {
  private cursorValue = 0;
  private readonly frames: Frame[] = [];
  private head = 0;
  private retainedBytes = 0;
  readonly subscribers = new Set<Subscriber>();
  private readonly options: PublisherOptions;
  framesPublished = 0;
  bytesWritten = 0;

  constructor(options: PublisherOptions) {
    this.options = options;
  }

  get cursor(): number {
    return this.cursorValue;
  }

  /** The oldest cursor a client may resume from (it will receive every frame after it). */
  get oldestResumable(): number {
    const first = this.frames[this.head];
    return first ? first.cursor - 1 : this.cursorValue;
  }

  /** Assigns the next cursor, lets `render` build the frame for it, and sends it. */
  publish(render: (cursor: number) => string): number {
    const cursor = ++this.cursorValue;
    const text = render(cursor);
    this.frames.push({ cursor, text });
    this.retainedBytes += text.length;
    while (
      this.frames.length - this.head > this.options.retainFrames ||
      (this.retainedBytes > this.options.retainBytes && this.frames.length - this.head > 1)
    ) {
      this.retainedBytes -= this.frames[this.head]!.text.length;
      this.frames[this.head++] = undefined as unknown as Frame;
    }
    if (this.head > 1024 && this.head * 2 > this.frames.length) {
      this.frames.splice(0, this.head);
      this.head = 0;
    }
    this.framesPublished++;
    for (const sub of this.subscribers) this.send(sub, text);
    return cursor;
  }

  /** Frames after `cursor`, or undefined when the window no longer reaches back that far. */
  framesAfter(cursor: number): string[] | undefined {
    if (cursor > this.cursorValue || cursor < this.oldestResumable) return undefined;
    const out: string[] = [];
    for (let i = this.head; i < this.frames.length; i++) {
      const f = this.frames[i]!;
      if (f.cursor > cursor) out.push(f.text);
    }
    return out;
  }

  add(sub: Subscriber): void {
    this.subscribers.add(sub);
    sub.res.once("close", () => this.subscribers.delete(sub));
  }

  send(sub: Subscriber, text: string): void {
    const res = sub.res;
    if (res.destroyed) {
      this.subscribers.delete(sub);
      return;
    }
    if (res.writableLength > this.options.maxBufferedBytes) {
      this.subscribers.delete(sub);
      res.destroy();
      return;
    }
    res.write(text);
    this.bytesWritten += text.length;
  }

  /** Drops every subscriber's connection abruptly (a fault). */
  dropAll(): number {
    const n = this.subscribers.size;
    for (const sub of this.subscribers) sub.res.destroy();
    this.subscribers.clear();
    return n;
  }

  endAll(): void {
    for (const sub of this.subscribers) sub.res.end();
    this.subscribers.clear();
  }
}

/**
 * The per-caller request log: a bounded ring of what clients under test asked and got. When the
 * bound is reached the oldest entries go and are counted (`dropped`), so a reader can tell that it
 * fell behind (`firstSeq` > since + 1) and by how much the log overflowed in all.
 */
import type { RequestLogEntry } from "./schema.ts";

export class RequestLog {
  private readonly ring: RequestLogEntry[] = [];
  private seq = 0;
  private droppedCount = 0;
  private readonly capacity: number;

  constructor(capacity = 100_000) {
    this.capacity = capacity;
  }

  record(entry: Omit<RequestLogEntry, "seq">): RequestLogEntry {
    const e: RequestLogEntry = { seq: ++this.seq, ...entry };
    this.ring.push(e);
    // Trim in chunks, as the event log does: one splice per entry would be O(capacity) each.
    if (this.ring.length > this.capacity * 1.1) {
      const excess = this.ring.length - this.capacity;
      this.ring.splice(0, excess);
      this.droppedCount += excess;
    }
    return e;
  }

  get lastSeq(): number {
    return this.seq;
  }

  get firstSeq(): number {
    return this.ring[0]?.seq ?? this.seq + 1;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Entries with seq > since, oldest first, at most `limit` (of `caller` only, when given). */
  since(since = 0, limit = 1000, caller?: string): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    const start = Math.max(0, since + 1 - this.firstSeq);
    for (let i = start; i < this.ring.length && out.length < limit; i++) {
      const e = this.ring[i]!;
      if (caller === undefined || e.caller === caller) out.push(e);
    }
    return out;
  }
}

/**
 * The simulator's timestamped event log: every fault injection and its effects (tunnels down,
 * telemetry emitted, reroutes applied). Bounded ring; readers page with `since` (a sequence
 * number), so a slow reader can tell when it fell behind (`firstSeq` > since + 1).
 */
export type MeshEventKind =
  | "fault.injected"
  | "fault.cleared"
  | "flap.transition"
  | "tunnels.state"
  | "telemetry.emitted"
  | "telemetry.stream"
  | "routing.applied"
  | "reroute.applied"
  | "traffic.interrupted"
  | "traffic.restored"
  | "operation.converged"
  | "site.registered"
  | "site.updated"
  | "site.deregistered"
  | "mesh.programmed"
  | "api.fault";

export interface MeshEvent {
  seq: number;
  /** Wall-clock time, ISO-8601 with ms. */
  at: string;
  /** Milliseconds since the Unix epoch, for arithmetic. */
  atMs: number;
  kind: MeshEventKind;
  detail: Record<string, unknown>;
}

export type EventListener = (e: MeshEvent) => void;

export class EventLog {
  private readonly ring: MeshEvent[] = [];
  private seq = 0;
  private readonly listeners = new Set<EventListener>();
  private readonly capacity: number;

  constructor(capacity = 20_000) {
    this.capacity = capacity;
  }

  record(kind: MeshEventKind, detail: Record<string, unknown>, atMs = Date.now()): MeshEvent {
    const e: MeshEvent = { seq: ++this.seq, at: new Date(atMs).toISOString(), atMs, kind, detail };
    this.ring.push(e);
    // Trim in chunks: splicing one element per event would be O(capacity) per event.
    if (this.ring.length > this.capacity * 1.1) this.ring.splice(0, this.ring.length - this.capacity);
    for (const l of this.listeners) l(e);
    return e;
  }

  get lastSeq(): number {
    return this.seq;
  }

  get firstSeq(): number {
    return this.ring[0]?.seq ?? this.seq + 1;
  }

  /** Events with seq > since, oldest first, at most `limit`. */
  since(since = 0, limit = 10_000, kinds?: ReadonlySet<string>): MeshEvent[] {
    const out: MeshEvent[] = [];
    // seq is dense inside the ring, so the start index is arithmetic.
    const start = Math.max(0, since + 1 - this.firstSeq);
    for (let i = start; i < this.ring.length && out.length < limit; i++) {
      const e = this.ring[i]!;
      if (!kinds || kinds.has(e.kind)) out.push(e);
    }
    return out;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first event (already logged after `since`, or future) matching `match`. */
  waitFor(match: (e: MeshEvent) => boolean, timeoutMs: number, since = 0): Promise<MeshEvent> {
    const past = this.since(since).find(match);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no matching mesh event within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.subscribe((e) => {
        if (!match(e)) return;
        clearTimeout(timer);
        off();
        resolve(e);
      });
    });
  }
}

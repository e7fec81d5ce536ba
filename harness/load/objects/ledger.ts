/**
 * What the load driver asked of the cluster, per object: the desired spec, the generation the
 * apiserver gave the last accepted change, and whether it is meant to exist. Measurements read it
 * to match watch events to requests (latency), to account for every object (coverage) and to
 * compare desired with actual state after the run (lost updates).
 */
import type { ObjectKind } from "../../scenario/phases.ts";

export type IntentType = "create" | "update" | "delete";

export interface Intent {
  type: IntentType;
  kind: ObjectKind;
  name: string;
  /** performance.now() just before the request was sent. */
  at: number;
  /** metadata.generation returned by the apiserver (create/update). */
  generation?: number;
}

export interface LedgerEntry {
  kind: ObjectKind;
  name: string;
  spec: Record<string, unknown>;
  generation: number;
  /** live: meant to exist; deleted: a delete was accepted; gone: its deletion was observed. */
  state: "live" | "deleted" | "gone";
  /** Requests in flight on this object; the driver leaves busy objects alone. */
  busy: boolean;
}

export type IntentListener = (intent: Intent) => void;

export class ObjectLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  private readonly listeners = new Set<IntentListener>();
  private readonly liveByKind = new Map<ObjectKind, Set<string>>();
  /** Names with a request in flight that have no entry yet (a create racing another create). */
  private readonly reserved = new Set<string>();

  private key(kind: ObjectKind, name: string): string {
    return `${kind}/${name}`;
  }

  subscribe(listener: IntentListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(kind: ObjectKind, name: string): LedgerEntry | undefined {
    return this.entries.get(this.key(kind, name));
  }

  all(): IterableIterator<LedgerEntry> {
    return this.entries.values();
  }

  liveNames(kind: ObjectKind): ReadonlySet<string> {
    return this.liveByKind.get(kind) ?? new Set();
  }

  liveCount(kind: ObjectKind): number {
    return this.liveByKind.get(kind)?.size ?? 0;
  }

  private live(kind: ObjectKind): Set<string> {
    let s = this.liveByKind.get(kind);
    if (!s) {
      s = new Set();
      this.liveByKind.set(kind, s);
    }
    return s;
  }

  /** Marks an object busy before a request; returns false if another request holds it. */
  claim(kind: ObjectKind, name: string): boolean {
    const e = this.get(kind, name);
    if (!e) {
      const k = this.key(kind, name);
      if (this.reserved.has(k)) return false;
      this.reserved.add(k);
      return true;
    }
    if (e.busy) return false;
    e.busy = true;
    return true;
  }

  /** A watch saw the object disappear: its name may be created again. */
  gone(kind: ObjectKind, name: string): void {
    const e = this.get(kind, name);
    if (e?.state === "deleted") e.state = "gone";
  }

  /** True while a request holds the object (or a create holds its name). */
  isBusy(kind: ObjectKind, name: string): boolean {
    return this.reserved.has(this.key(kind, name)) || this.get(kind, name)?.busy === true;
  }

  release(kind: ObjectKind, name: string): void {
    this.reserved.delete(this.key(kind, name));
    const e = this.get(kind, name);
    if (e) e.busy = false;
  }

  /** A request was accepted by the apiserver: record it and tell the measurements. */
  accepted(intent: Intent, spec?: Record<string, unknown>): void {
    const k = this.key(intent.kind, intent.name);
    const prev = this.entries.get(k);
    if (intent.type === "delete") {
      if (prev) prev.state = "deleted";
      this.live(intent.kind).delete(intent.name);
    } else {
      this.entries.set(k, {
        kind: intent.kind,
        name: intent.name,
        spec: spec ?? prev?.spec ?? {},
        generation: intent.generation ?? prev?.generation ?? 1,
        state: "live",
        busy: prev?.busy ?? false,
      });
      this.live(intent.kind).add(intent.name);
    }
    for (const l of this.listeners) l(intent);
  }
}

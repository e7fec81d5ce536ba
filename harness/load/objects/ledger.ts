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
  /** The spec sent (create/update). */
  spec?: Record<string, unknown>;
  /** When the apiserver's answer arrived, epoch ms (this machine's clock, as operators stamp their status). */
  acknowledged?: number;
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
  /** When the apiserver acknowledged the last create or update, epoch ms. */
  acknowledged?: number;
  /** The template's index and variant the spec was made from (variant > 0: an update). */
  template?: { index: number; variant: number };
}

export type IntentListener = (intent: Intent) => void;
/** Called after anything about one name changed: busy, state, existence. */
export type NameListener = (kind: ObjectKind, name: string) => void;

export class ObjectLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  private readonly listeners = new Set<IntentListener>();
  private readonly nameListeners = new Set<NameListener>();
  private readonly liveByKind = new Map<ObjectKind, Set<string>>();
  /** Bumped whenever a kind's live set gains or loses a name; keys caches derived from it. */
  private readonly liveVersions = new Map<ObjectKind, number>();
  /** liveNames as an array (for random picks), rebuilt only after the live set changed. */
  private readonly liveLists = new Map<ObjectKind, { version: number; names: string[] }>();
  /** Names with a request in flight that have no entry yet (a create racing another create). */
  private readonly reserved = new Set<string>();

  private key(kind: ObjectKind, name: string): string {
    return `${kind}/${name}`;
  }

  subscribe(listener: IntentListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hears every change to any name (the load driver's index of absent Sites keeps itself current with it). */
  onNameChange(listener: NameListener): () => void {
    this.nameListeners.add(listener);
    return () => this.nameListeners.delete(listener);
  }

  private changed(kind: ObjectKind, name: string): void {
    for (const l of this.nameListeners) l(kind, name);
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

  /** Changes whenever a name joins or leaves the kind's live set (not on updates of live objects). */
  liveVersion(kind: ObjectKind): number {
    return this.liveVersions.get(kind) ?? 0;
  }

  /** The live names in liveNames' order, as an array; shared until the live set changes, so read-only. */
  liveList(kind: ObjectKind): readonly string[] {
    const version = this.liveVersion(kind);
    let cached = this.liveLists.get(kind);
    if (cached?.version !== version) {
      cached = { version, names: [...this.liveNames(kind)] };
      this.liveLists.set(kind, cached);
    }
    return cached.names;
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
      this.changed(kind, name);
      return true;
    }
    if (e.busy) return false;
    e.busy = true;
    this.changed(kind, name);
    return true;
  }

  /** A watch saw the object disappear: its name may be created again. */
  gone(kind: ObjectKind, name: string): void {
    const e = this.get(kind, name);
    if (e?.state !== "deleted") return;
    e.state = "gone";
    this.changed(kind, name);
  }

  /** True while a request holds the object (or a create holds its name). */
  isBusy(kind: ObjectKind, name: string): boolean {
    return this.reserved.has(this.key(kind, name)) || this.get(kind, name)?.busy === true;
  }

  release(kind: ObjectKind, name: string): void {
    const wasReserved = this.reserved.delete(this.key(kind, name));
    const e = this.get(kind, name);
    const wasBusy = e?.busy === true;
    if (e) e.busy = false;
    if (wasReserved || wasBusy) this.changed(kind, name);
  }

  /** A request was accepted by the apiserver: record it and tell the measurements. */
  accepted(intent: Intent, spec?: Record<string, unknown>, template?: LedgerEntry["template"]): void {
    const k = this.key(intent.kind, intent.name);
    const prev = this.entries.get(k);
    if (intent.type === "delete") {
      if (prev) prev.state = "deleted";
      if (this.live(intent.kind).delete(intent.name)) this.bumpLive(intent.kind);
    } else {
      this.entries.set(k, {
        kind: intent.kind,
        name: intent.name,
        spec: spec ?? prev?.spec ?? {},
        generation: intent.generation ?? prev?.generation ?? 1,
        state: "live",
        busy: prev?.busy ?? false,
        ...(intent.acknowledged === undefined ? {} : { acknowledged: intent.acknowledged }),
        ...((template ?? prev?.template) ? { template: template ?? prev?.template } : {}),
      });
      const live = this.live(intent.kind);
      if (!live.has(intent.name)) {
        live.add(intent.name);
        this.bumpLive(intent.kind);
      }
    }
    this.changed(intent.kind, intent.name);
    for (const l of this.listeners) l(intent);
  }

  private bumpLive(kind: ObjectKind): void {
    this.liveVersions.set(kind, this.liveVersion(kind) + 1);
  }
}

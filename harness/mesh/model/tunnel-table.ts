/**
 * The programmed tunnels and the last telemetry published for each, in typed arrays. A tunnel is
 * modelled when both its links resolve in the LinkTable and this shard owns its first site.
 * `evaluate` compares the model against what subscribers last saw and reports only what moved
 * past a deadband (or changed state): the stream carries changes, not samples.
 */
import type { Tunnel } from "../../../contract/patronus-api/v1.ts";
import { regionDelayMs } from "./link-model.ts";
import { type LinkTable, MAX_LINKS_PER_SITE } from "./link-table.ts";
import { combineLoss, STATE_DOWN, STATE_NONE, tunnelStateCode } from "./tunnel-model.ts";

export class TunnelTable {
  private capacity = 0;
  private nextSlot = 0;
  private readonly freeSlots: number[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly slotsBySite = new Map<string, Set<number>>();
  readonly tunnels: (Tunnel | undefined)[] = [];
  private modeledCount = 0;

  refs = new Uint16Array(0);
  linkA = new Int32Array(0);
  linkB = new Int32Array(0);
  modeled = new Uint8Array(0);
  /** Modelled and published by this shard (always equal to `modeled` when unsharded). */
  streamed = new Uint8Array(0);
  pathLat = new Float32Array(0);
  baseLat = new Float32Array(0);
  pubLat = new Float32Array(0);
  pubJit = new Float32Array(0);
  pubLoss = new Float32Array(0);
  pubState = new Uint8Array(0);
  /** Tunnels whose model went away but whose removal subscribers have not been told yet. */
  readonly pendingRemovals = new Set<number>();

  get size(): number {
    return this.slotById.size;
  }

  get modeledSize(): number {
    return this.modeledCount;
  }

  slotOf(id: string): number {
    return this.slotById.get(id) ?? -1;
  }

  /** Adds one reference (one mesh programming it); returns the slot. */
  retain(t: Tunnel): number {
    let slot = this.slotById.get(t.id);
    if (slot !== undefined) {
      this.refs[slot]!++;
      return slot;
    }
    slot = this.freeSlots.pop() ?? this.nextSlot++;
    if (slot >= this.capacity) this.grow(Math.max(256, this.capacity * 2));
    this.slotById.set(t.id, slot);
    this.tunnels[slot] = t;
    this.refs[slot] = 1;
    this.modeled[slot] = 0;
    this.streamed[slot] = 0;
    this.pubState[slot] = STATE_NONE;
    this.linkA[slot] = -1;
    this.linkB[slot] = -1;
    for (const s of [t.siteA, t.siteB]) {
      const set = this.slotsBySite.get(s) ?? new Set<number>();
      this.slotsBySite.set(s, set);
      set.add(slot);
    }
    this.pendingRemovals.delete(slot);
    return slot;
  }

  /** Drops one reference; the tunnel leaves the table when none is left. */
  release(id: string): void {
    const slot = this.slotById.get(id);
    if (slot === undefined) return;
    if (--this.refs[slot]! > 0) return;
    const t = this.tunnels[slot]!;
    this.setModeled(slot, false, false);
    this.slotById.delete(id);
    for (const s of [t.siteA, t.siteB]) this.slotsBySite.get(s)?.delete(slot);
    if (this.pubState[slot] === STATE_NONE) {
      this.tunnels[slot] = undefined;
      this.freeSlots.push(slot);
    } else {
      // Keep the slot until the removal has been published, then free it (takeRemovals).
      this.pendingRemovals.add(slot);
    }
  }

  slotsOfSite(site: string): Iterable<number> {
    return this.slotsBySite.get(site) ?? [];
  }

  /** Re-resolves one tunnel's links (after a site registers, changes or leaves). */
  resolve(slot: number, links: LinkTable, owns: (site: string) => boolean): void {
    const t = this.tunnels[slot];
    if (!t || !this.slotById.has(t.id)) return;
    const a = links.linkSlot(t.siteA, t.linkA);
    const b = links.linkSlot(t.siteB, t.linkB);
    const ownsA = owns(t.siteA);
    const ok = a >= 0 && b >= 0 && (ownsA || owns(t.siteB));
    this.linkA[slot] = a;
    this.linkB[slot] = b;
    if (ok) {
      const ra = links.siteRegionKey[Math.floor(a / MAX_LINKS_PER_SITE)]!;
      const rb = links.siteRegionKey[Math.floor(b / MAX_LINKS_PER_SITE)]!;
      this.pathLat[slot] = regionDelayMs(ra, rb);
      this.baseLat[slot] = links.baseLat[a]! + links.baseLat[b]! + this.pathLat[slot]!;
    }
    this.setModeled(slot, ok, ok && ownsA);
  }

  /**
   * Evaluates every modelled tunnel against the link values in `links` (already evaluated for
   * this tick) and writes the slots that must be published into `changed`; returns their count.
   */
  evaluate(links: LinkTable, changed: Int32Array, previousStates: Uint8Array): number {
    let n = 0;
    const end = this.nextSlot;
    const { curLat, curJit, curLoss, faultDown } = links;
    for (let s = 0; s < end; s++) {
      if (this.modeled[s] === 0) continue;
      const a = this.linkA[s]!;
      const b = this.linkB[s]!;
      const lat = curLat[a]! + curLat[b]! + this.pathLat[s]!;
      const ja = curJit[a]!;
      const jb = curJit[b]!;
      const jit = Math.sqrt(ja * ja + jb * jb);
      const loss = combineLoss(curLoss[a]!, curLoss[b]!);
      const down = faultDown[a] !== 0 || faultDown[b] !== 0;
      const state = tunnelStateCode(lat, jit, loss, this.baseLat[s]!, down);
      const prevState = this.pubState[s]!;
      if (
        state !== prevState ||
        (state !== STATE_DOWN &&
          (Math.abs(lat - this.pubLat[s]!) >= Math.max(1, 0.05 * this.pubLat[s]!) ||
            Math.abs(jit - this.pubJit[s]!) >= Math.max(0.5, 0.2 * this.pubJit[s]!) ||
            Math.abs(loss - this.pubLoss[s]!) >= 0.2))
      ) {
        this.pubLat[s] = lat;
        this.pubJit[s] = jit;
        this.pubLoss[s] = loss;
        this.pubState[s] = state;
        previousStates[n] = prevState;
        changed[n++] = s;
      }
    }
    return n;
  }

  /** Slots whose removal is to be published now; they are freed. */
  takeRemovals(): string[] {
    const ids: string[] = [];
    for (const slot of this.pendingRemovals) {
      const t = this.tunnels[slot];
      if (t) ids.push(t.id);
      this.pubState[slot] = STATE_NONE;
      if (t && this.slotById.get(t.id) !== slot) {
        this.tunnels[slot] = undefined;
        this.freeSlots.push(slot);
      }
    }
    this.pendingRemovals.clear();
    return ids;
  }

  get slotLimit(): number {
    return this.nextSlot;
  }

  private setModeled(slot: number, on: boolean, streamed: boolean): void {
    const wasStreamed = this.streamed[slot] === 1;
    if (this.modeled[slot] === 1 && !on && this.pubState[slot] !== STATE_NONE) {
      // Only what subscribers saw needs a removal; a shadow tunnel just forgets its state.
      if (wasStreamed) this.pendingRemovals.add(slot);
      else this.pubState[slot] = STATE_NONE;
    }
    this.modeled[slot] = on ? 1 : 0;
    this.streamed[slot] = streamed ? 1 : 0;
    if (wasStreamed !== streamed) this.modeledCount += streamed ? 1 : -1;
    if (on) this.pendingRemovals.delete(slot);
  }

  private grow(capacity: number): void {
    const g = <T extends Uint8Array | Uint16Array | Int32Array | Float32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity);
      b.set(a);
      return b;
    };
    this.refs = g(this.refs);
    this.linkA = g(this.linkA);
    this.linkB = g(this.linkB);
    this.modeled = g(this.modeled);
    this.streamed = g(this.streamed);
    this.pathLat = g(this.pathLat);
    this.baseLat = g(this.baseLat);
    this.pubLat = g(this.pubLat);
    this.pubJit = g(this.pubJit);
    this.pubLoss = g(this.pubLoss);
    this.pubState = g(this.pubState);
    this.capacity = capacity;
  }
}

/**
 * Every modelled WAN link in typed arrays, indexed by slot = siteSlot * 3 + linkIndex. The tick
 * walks these arrays; nothing here allocates per link per tick.
 */
import type { WanLink } from "../../../contract/patronus-api/v1.ts";
import { LINK_TYPE_CODES, type LinkSample, linkBaseline, sampleLink } from "./link-model.ts";
import { hashString } from "./random.ts";

export const MAX_LINKS_PER_SITE = 3;

export interface SiteModel {
  name: string;
  region: string;
  hub: boolean;
  links: readonly WanLink[];
}

export class LinkTable {
  readonly seed: number;
  private capacity = 0;
  private readonly slotByName = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  readonly sites: (SiteModel | undefined)[] = [];
  private readonly regionKeyByName = new Map<string, number>();

  siteRegionKey = new Uint32Array(0);
  linkPresent = new Uint8Array(0);
  linkKey = new Uint32Array(0);
  baseLat = new Float32Array(0);
  baseJit = new Float32Array(0);
  baseLoss = new Float32Array(0);
  /** Bitmask of the fault kinds holding the link down (see faults/engine.ts). */
  faultDown = new Uint8Array(0);
  addLat = new Float32Array(0);
  addJit = new Float32Array(0);
  addLoss = new Float32Array(0);
  curLat = new Float32Array(0);
  curJit = new Float32Array(0);
  curLoss = new Float32Array(0);

  constructor(seed: number) {
    this.seed = seed >>> 0;
  }

  get siteCount(): number {
    return this.slotByName.size;
  }

  siteSlot(name: string): number {
    return this.slotByName.get(name) ?? -1;
  }

  regionKey(region: string): number {
    let k = this.regionKeyByName.get(region);
    if (k === undefined) {
      k = hashString(region, this.seed);
      this.regionKeyByName.set(region, k);
    }
    return k;
  }

  /** Link slot of `linkName` at `site`, or -1 when either is unknown. */
  linkSlot(site: string, linkName: string): number {
    const s = this.slotByName.get(site);
    if (s === undefined) return -1;
    const links = this.sites[s]!.links;
    for (let i = 0; i < links.length; i++) if (links[i]!.name === linkName) return s * MAX_LINKS_PER_SITE + i;
    return -1;
  }

  upsertSite(site: SiteModel): number {
    let slot = this.slotByName.get(site.name);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.nextSlot++;
      if (slot >= this.capacity) this.grow(Math.max(64, this.capacity * 2));
      this.slotByName.set(site.name, slot);
    }
    this.sites[slot] = { name: site.name, region: site.region, hub: site.hub, links: [...site.links] };
    this.siteRegionKey[slot] = this.regionKey(site.region);
    for (let i = 0; i < MAX_LINKS_PER_SITE; i++) {
      const l = slot * MAX_LINKS_PER_SITE + i;
      const link = site.links[i];
      this.faultDown[l] = 0;
      this.addLat[l] = 0;
      this.addJit[l] = 0;
      this.addLoss[l] = 0;
      if (!link) {
        this.linkPresent[l] = 0;
        continue;
      }
      // The key depends on names and type only, so a site has the same link behaviour whether it
      // was generated, registered by the operator, or known to another shard.
      const key = hashString(`${site.name}/${link.name}/${link.type}`, this.seed);
      const base = linkBaseline(key, LINK_TYPE_CODES[link.type]);
      this.linkPresent[l] = 1;
      this.linkKey[l] = key;
      this.baseLat[l] = base.latencyMs;
      this.baseJit[l] = base.jitterMs;
      this.baseLoss[l] = base.lossPercent;
    }
    return slot;
  }

  removeSite(name: string): boolean {
    const slot = this.slotByName.get(name);
    if (slot === undefined) return false;
    this.slotByName.delete(name);
    this.sites[slot] = undefined;
    for (let i = 0; i < MAX_LINKS_PER_SITE; i++) this.linkPresent[slot * MAX_LINKS_PER_SITE + i] = 0;
    this.freeSlots.push(slot);
    return true;
  }

  /** Fills cur* for every present link at `tick`, faults included. */
  evaluate(tick: number, eventProbability: number): void {
    const n = this.nextSlot * MAX_LINKS_PER_SITE;
    const base = { latencyMs: 0, jitterMs: 0, lossPercent: 0 };
    const out: LinkSample = { latencyMs: 0, jitterMs: 0, lossPercent: 0 };
    for (let l = 0; l < n; l++) {
      if (this.linkPresent[l] === 0) continue;
      base.latencyMs = this.baseLat[l]!;
      base.jitterMs = this.baseJit[l]!;
      base.lossPercent = this.baseLoss[l]!;
      sampleLink(this.linkKey[l]!, base, tick, eventProbability, out);
      this.curLat[l] = out.latencyMs + this.addLat[l]!;
      this.curJit[l] = out.jitterMs + this.addJit[l]!;
      this.curLoss[l] = Math.min(100, out.lossPercent + this.addLoss[l]!);
    }
  }

  /** Link slots of all present links, for fault resolution. */
  *linksOfSite(slot: number): Generator<number> {
    const site = this.sites[slot];
    if (!site) return;
    for (let i = 0; i < site.links.length; i++) yield slot * MAX_LINKS_PER_SITE + i;
  }

  *siteSlots(): Generator<[string, number]> {
    yield* this.slotByName.entries();
  }

  private grow(capacity: number): void {
    const links = capacity * MAX_LINKS_PER_SITE;
    const g = <T extends Uint8Array | Uint32Array | Float32Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.siteRegionKey = g(this.siteRegionKey, capacity);
    this.linkPresent = g(this.linkPresent, links);
    this.linkKey = g(this.linkKey, links);
    this.baseLat = g(this.baseLat, links);
    this.baseJit = g(this.baseJit, links);
    this.baseLoss = g(this.baseLoss, links);
    this.faultDown = g(this.faultDown, links);
    this.addLat = g(this.addLat, links);
    this.addJit = g(this.addJit, links);
    this.addLoss = g(this.addLoss, links);
    this.curLat = g(this.curLat, links);
    this.curJit = g(this.curJit, links);
    this.curLoss = g(this.curLoss, links);
    this.capacity = capacity;
  }
}

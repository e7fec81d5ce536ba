/**
 * Which shard owns a site. One function shared by the replicas (what they register, which tunnels
 * they stream) and the shard router (where it sends a site's calls), so both always agree: world
 * sites by contiguous ranges of the sorted world, any other name by a hash of the name.
 */
import { hashString } from "./random.ts";
import { shardOfIndex } from "./world.ts";

export class ShardMap {
  readonly count: number;
  private readonly worldIndex: Map<string, number>;
  private readonly worldSize: number;

  constructor(worldSiteNames: readonly string[], count: number) {
    this.count = count;
    this.worldSize = worldSiteNames.length;
    this.worldIndex = new Map(worldSiteNames.map((n, i) => [n, i]));
  }

  ownerOf(site: string): number {
    if (this.count <= 1) return 0;
    const i = this.worldIndex.get(site);
    if (i !== undefined) return shardOfIndex(i, this.worldSize, this.count);
    return hashString(site) % this.count;
  }

  isWorldSite(site: string): boolean {
    return this.worldIndex.has(site);
  }
}

/**
 * A simulated world: sites in regions with hubs, each with 1–3 WAN links, and the tunnels the
 * topology rule gives them. Generated from parameters (deterministic in the seed) or taken from a
 * topology file (see ../topology/file.ts).
 */
import { z } from "zod";
import { type LinkType, Name, type Tunnel, type WanLink } from "../../../contract/patronus-api/v1.ts";
import { seededRandom } from "../../random/seeded.ts";
import { computeTunnels, DEFAULT_TUNNEL_BUDGET, type TopologySite } from "../topology/tunnels.ts";

export const TopologySpec = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("hub-spoke") }),
  z.strictObject({ kind: z.literal("regional") }),
  z.strictObject({ kind: z.literal("partial"), k: z.number().int().min(1) }),
  z.strictObject({ kind: z.literal("full") }),
]);

export const WorldParamsShape = z.strictObject({
  sites: z.number().int().min(1).max(200_000).default(1000),
  regions: z.number().int().min(1).max(1000).default(10),
  hubsPerRegion: z.number().int().min(0).max(100).default(2),
  topology: TopologySpec.default({ kind: "hub-spoke" }),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  tunnelBudget: z.number().int().min(1).default(DEFAULT_TUNNEL_BUDGET),
});

export const WorldParams = withWorldChecks(WorldParamsShape);

/** Cross-field checks, shared by the generator parameters and topology files' `generate`. */
export function withWorldChecks<
  T extends z.ZodType<{ sites: number; regions: number; hubsPerRegion: number }>,
>(schema: T): T {
  return schema
    .refine((p) => p.regions <= p.sites, { message: "regions must not exceed sites", path: ["regions"] })
    .refine((p) => p.regions * p.hubsPerRegion <= p.sites, {
      message: "regions × hubsPerRegion must not exceed sites",
      path: ["hubsPerRegion"],
    }) as unknown as T;
}
export type WorldParams = z.output<typeof WorldParams>;
export type WorldParamsInput = z.input<typeof WorldParams>;

export interface WorldSite extends TopologySite {
  name: string;
  region: string;
  hub: boolean;
  links: WanLink[];
}

export interface World {
  seed: number;
  topology: z.output<typeof TopologySpec>;
  regions: string[];
  /** Sorted by name; a shard owns a contiguous range of this list. */
  sites: WorldSite[];
  tunnels: Tunnel[];
}

const BANDWIDTHS: Record<LinkType, readonly number[]> = {
  mpls: [10, 50, 100, 200, 500, 1000],
  internet: [50, 100, 200, 500, 1000, 2000],
  lte: [20, 50, 100, 150],
};
const BASE_COST: Record<LinkType, number> = { mpls: 100, internet: 20, lte: 60 };

function pick<T>(list: readonly T[], u: number): T {
  return list[Math.min(list.length - 1, Math.floor(u * list.length))]!;
}

function makeLink(type: LinkType, rnd: () => number, hub: boolean): WanLink {
  const bw = hub ? 10_000 : pick(BANDWIDTHS[type], rnd());
  return { name: `${type}-0`, type, bandwidthMbps: bw, cost: BASE_COST[type] + Math.floor(rnd() * 20) };
}

function siteLinks(rnd: () => number, hub: boolean): WanLink[] {
  if (hub) return (["mpls", "internet", "lte"] as const).map((t) => makeLink(t, rnd, true));
  const types: LinkType[] = [];
  if (rnd() < 0.6) types.push("mpls");
  if (rnd() < 0.85 || types.length === 0) types.push("internet");
  if (rnd() < 0.35) types.push("lte");
  return types.map((t) => makeLink(t, rnd, false));
}

export function regionName(i: number): string {
  return `region-${String(i).padStart(3, "0")}`;
}

export function generateWorld(input: WorldParamsInput): World {
  const p = WorldParams.parse(input);
  const rnd = seededRandom(p.seed);
  const width = Math.max(5, String(p.sites - 1).length);
  const regions = Array.from({ length: p.regions }, (_, i) => regionName(i));
  const sites: WorldSite[] = [];
  let regionStart = 0;
  for (let i = 0; i < p.sites; i++) {
    const r = Math.floor((i * p.regions) / p.sites);
    if (r !== Math.floor(((i - 1) * p.regions) / p.sites)) regionStart = i;
    const hub = i - regionStart < p.hubsPerRegion;
    sites.push({
      name: `site-${String(i).padStart(width, "0")}`,
      region: regions[r]!,
      hub,
      links: siteLinks(rnd, hub),
    });
  }
  return worldFromSites(sites, p.topology, p.seed, p.tunnelBudget);
}

export function worldFromSites(
  sites: WorldSite[],
  topology: z.output<typeof TopologySpec>,
  seed: number,
  budget = DEFAULT_TUNNEL_BUDGET,
): World {
  const sorted = [...sites].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const regions = [...new Set(sorted.map((s) => s.region))].sort();
  for (const r of regions) Name.parse(r);
  return { seed, topology, regions, sites: sorted, tunnels: computeTunnels(sorted, topology, budget) };
}

/** Which shard owns the site at `index` of `count` sites: contiguous ranges, as even as possible. */
export function shardOfIndex(index: number, count: number, shards: number): number {
  return Math.floor((index * shards) / count);
}

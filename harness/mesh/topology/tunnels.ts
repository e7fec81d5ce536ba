/**
 * The harness's model of the tunnel-set rule of a Patronus mesh: the simulator generates worlds
 * with it and the path-status measurement derives the Paths it expects from it. The reference
 * operator implements the same rule on its own, written apart from this one, so a
 * mistake in either shows up as a Path one side has and the other does not. Pure and
 * deterministic: the same sites in any order give the same tunnels.
 */
import { type Tunnel, tunnelId, type WanLink } from "../../../contract/patronus-api/v1.ts";

export type Topology =
  | { kind: "hub-spoke" }
  | { kind: "regional" }
  | { kind: "partial"; k: number }
  | { kind: "full" };

export interface TopologySite {
  name: string;
  region: string;
  hub: boolean;
  links: readonly WanLink[];
}

/** Above this many tunnels a full mesh is refused: each tunnel becomes a Path object. */
export const DEFAULT_TUNNEL_BUDGET = 50_000;
const HUBS_PER_SPOKE = 2;

export class TopologyError extends Error {
  override name = "TopologyError";
}

export function computeTunnels(
  sites: readonly TopologySite[],
  topology: Topology,
  budget = DEFAULT_TUNNEL_BUDGET,
): Tunnel[] {
  const sorted = [...sites].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  switch (topology.kind) {
    case "hub-spoke":
      return hubSpoke(sorted, false);
    case "regional":
      return hubSpoke(sorted, true);
    case "partial":
      return partial(sorted, topology.k);
    case "full": {
      const count = (sorted.length * (sorted.length - 1)) / 2;
      if (count > budget) {
        throw new TopologyError(
          `a full mesh of ${sorted.length} sites needs ${count} tunnels, over the object budget of ${budget}; use hub-spoke, regional or partial`,
        );
      }
      return sorted.length < 2 ? [] : partial(sorted, sorted.length - 1);
    }
  }
}

/** Tunnels between two sites: each link of `a` to the link of `b` with the same type, else b's first. */
function linkPairs(a: TopologySite, b: TopologySite, allLinks: boolean): Tunnel[] {
  const out: Tunnel[] = [];
  const links = allLinks ? a.links : a.links.slice(0, 1);
  for (const la of links) {
    const lb = b.links.find((l) => l.type === la.type) ?? b.links[0];
    if (!lb) continue;
    out.push(tunnel(a, la, b, lb));
  }
  return out;
}

function tunnel(a: TopologySite, la: WanLink, b: TopologySite, lb: WanLink): Tunnel {
  const [sa, pa, sb, pb] = a.name < b.name ? [a, la, b, lb] : [b, lb, a, la];
  return {
    id: tunnelId(sa.name, pa.name, sb.name, pb.name),
    siteA: sa.name,
    siteB: sb.name,
    linkA: pa.name,
    linkB: pb.name,
  };
}

/**
 * hub-spoke: every spoke to its two nearest hubs (same region first, then by name) over each
 * of its links; hubs fully meshed among themselves over their first link.
 * regional: hubs fully meshed over every link; spokes to every hub of their own region.
 */
function hubSpoke(sites: TopologySite[], regional: boolean): Tunnel[] {
  const hubs = sites.filter((s) => s.hub);
  if (hubs.length === 0 && sites.length > 1) {
    throw new TopologyError("hub-spoke and regional topologies need at least one site with hub: true");
  }
  const hubsByRegion = new Map<string, TopologySite[]>();
  for (const h of hubs) {
    const list = hubsByRegion.get(h.region) ?? [];
    list.push(h);
    hubsByRegion.set(h.region, list);
  }
  const out: Tunnel[] = [];
  for (let i = 0; i < hubs.length; i++) {
    for (let j = i + 1; j < hubs.length; j++) out.push(...linkPairs(hubs[i]!, hubs[j]!, regional));
  }
  for (const spoke of sites) {
    if (spoke.hub) continue;
    const local = hubsByRegion.get(spoke.region) ?? [];
    let targets: TopologySite[];
    if (regional) {
      targets = local.length > 0 ? local : hubs.slice(0, HUBS_PER_SPOKE);
    } else {
      targets = local.slice(0, HUBS_PER_SPOKE);
      for (const h of hubs) {
        if (targets.length >= HUBS_PER_SPOKE) break;
        if (!targets.includes(h)) targets.push(h);
      }
    }
    for (const h of targets) out.push(...linkPairs(spoke, h, true));
  }
  return out;
}

/** partial-k: a ring lattice, each site to the next k sites by name, over its first link. */
function partial(sites: TopologySite[], k: number): Tunnel[] {
  if (!Number.isInteger(k) || k < 1) throw new TopologyError(`partial topology needs k ≥ 1, got ${k}`);
  const n = sites.length;
  const out: Tunnel[] = [];
  // Dedupe by site pair, not by tunnel id: when 2k ≥ n a pair is reached from both ends, and the
  // two ends may pick different first links — one pair must still give one tunnel.
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    for (let d = 1; d <= Math.min(k, n - 1); d++) {
      const a = sites[i]!;
      const b = sites[(i + d) % n]!;
      const pair = a.name < b.name ? `${a.name}\u0000${b.name}` : `${b.name}\u0000${a.name}`;
      if (seen.has(pair)) continue;
      seen.add(pair);
      out.push(...linkPairs(a, b, false));
    }
  }
  return out;
}

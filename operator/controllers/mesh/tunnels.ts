/**
 * Which tunnels a Mesh's topology asks for, given the registered Sites it selects. Every tunnel
 * becomes a Path named by its id, so the rule must be deterministic: the same Sites in any order
 * give the same set.
 *
 * - Between two sites, a link of the first site pairs with the second site's link of the same
 *   type, or its first link when it has none of that type.
 * - hub-spoke: hubs pair with each other over their first link; each spoke pairs with two hubs
 *   (its own region's first, by name, then others by name) over each of its links.
 * - regional: hubs pair with each other over each of their links; each spoke pairs with every
 *   hub of its region (the first two hubs by name when its region has none) over each link.
 * - partial k: sites in name order form a ring; each pairs with the next k over its first link.
 * - full: every pair over the first link, refused beyond the tunnel budget.
 *
 * The harness computes the Paths it expects with its own implementation of this rule, so a
 * mistake in either shows up as a Path one side has and the other does not.
 */
import { type Tunnel, tunnelId, type WanLink } from "../../../contract/patronus-api/v1.ts";
import type { MeshTopology } from "../../api/v1alpha1/mesh.ts";

export interface MeshSite {
  name: string;
  region: string;
  hub: boolean;
  links: readonly WanLink[];
}

export class TopologyError extends Error {
  override name = "TopologyError";
}

/** Each spoke's hubs in a hub-spoke topology. */
const SPOKE_HUBS = 2;

export function meshTunnels(sites: readonly MeshSite[], topology: MeshTopology, budget: number): Tunnel[] {
  // Ordered as tunnel ids order their two sites: by code unit, not by locale.
  const byName = [...sites].sort((x, y) => (x.name === y.name ? 0 : x.name < y.name ? -1 : 1));
  switch (topology.type) {
    case "hub-spoke":
    case "regional":
      return starTunnels(byName, topology.type === "regional");
    case "partial":
      return ringTunnels(byName, topology.k ?? 1);
    case "full": {
      const pairs = (byName.length * (byName.length - 1)) / 2;
      if (pairs > budget) {
        throw new TopologyError(
          `a full mesh of ${byName.length} sites needs ${pairs} tunnels, over the tunnel budget of ${budget}; ` +
            "use hub-spoke, regional or partial",
        );
      }
      return byName.length < 2 ? [] : ringTunnels(byName, byName.length - 1);
    }
  }
}

/** The tunnels from `from` to `to`: over each of `from`'s links, or its first only. */
function between(from: MeshSite, to: MeshSite, everyLink: boolean): Tunnel[] {
  const fromLinks = everyLink ? from.links : from.links.slice(0, 1);
  const tunnels: Tunnel[] = [];
  for (const own of fromLinks) {
    const peer = to.links.find((l) => l.type === own.type) ?? to.links[0];
    if (peer === undefined) continue;
    const fromFirst = from.name < to.name;
    const [siteA, linkA, siteB, linkB] = fromFirst
      ? [from.name, own.name, to.name, peer.name]
      : [to.name, peer.name, from.name, own.name];
    tunnels.push({ id: tunnelId(siteA, linkA, siteB, linkB), siteA, siteB, linkA, linkB });
  }
  return tunnels;
}

function starTunnels(sites: readonly MeshSite[], regional: boolean): Tunnel[] {
  const hubs = sites.filter((s) => s.hub);
  if (hubs.length === 0) {
    if (sites.length <= 1) return [];
    throw new TopologyError("hub-spoke and regional topologies need at least one site with hub: true");
  }
  const tunnels: Tunnel[] = [];
  hubs.forEach((hub, i) => {
    for (const other of hubs.slice(i + 1)) tunnels.push(...between(hub, other, regional));
  });
  for (const spoke of sites) {
    if (spoke.hub) continue;
    for (const hub of spokeHubs(spoke, hubs, regional)) tunnels.push(...between(spoke, hub, true));
  }
  return tunnels;
}

function spokeHubs(spoke: MeshSite, hubs: readonly MeshSite[], regional: boolean): MeshSite[] {
  const local = hubs.filter((h) => h.region === spoke.region);
  if (regional) return local.length > 0 ? local : hubs.slice(0, SPOKE_HUBS);
  const chosen = local.slice(0, SPOKE_HUBS);
  for (const hub of hubs) {
    if (chosen.length === SPOKE_HUBS) break;
    if (!chosen.includes(hub)) chosen.push(hub);
  }
  return chosen;
}

function ringTunnels(sites: readonly MeshSite[], k: number): Tunnel[] {
  if (!Number.isInteger(k) || k < 1) throw new TopologyError(`partial topology needs k ≥ 1, got ${k}`);
  const n = sites.length;
  const reach = Math.min(k, n - 1);
  const paired = new Set<string>();
  const tunnels: Tunnel[] = [];
  for (let i = 0; i < n; i++) {
    for (let step = 1; step <= reach; step++) {
      const j = (i + step) % n;
      // With 2k ≥ n a pair is reached from both of its ends; it still gives one tunnel.
      const key = i < j ? `${i}:${j}` : `${j}:${i}`;
      if (paired.has(key)) continue;
      paired.add(key);
      tunnels.push(...between(sites[i]!, sites[j]!, false));
    }
  }
  return tunnels;
}

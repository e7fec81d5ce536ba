import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WanLink } from "../../../contract/patronus-api/v1.ts";
import { type MeshSite, meshTunnels, TopologyError } from "./tunnels.ts";

const mpls = (name = "mpls0"): WanLink => ({ name, type: "mpls", bandwidthMbps: 100, cost: 1 });
const inet = (name = "inet0"): WanLink => ({ name, type: "internet", bandwidthMbps: 50, cost: 2 });
const site = (name: string, region: string, hub: boolean, links: WanLink[] = [mpls()]): MeshSite => ({
  name,
  region,
  hub,
  links,
});
const ids = (sites: MeshSite[], topology: Parameters<typeof meshTunnels>[1], budget = 1000) =>
  meshTunnels(sites, topology, budget)
    .map((t) => t.id)
    .sort();

describe("meshTunnels", () => {
  const sites = [
    site("hub-eu-a", "eu", true, [mpls(), inet()]),
    site("hub-eu-b", "eu", true),
    site("hub-us", "us", true),
    site("spoke-eu", "eu", false, [mpls(), inet()]),
    site("spoke-ap", "ap", false, [inet()]),
  ];

  it("hub-spoke: hubs over their first link, spokes to two hubs (own region first) over every link", () => {
    assert.deepEqual(ids(sites, { type: "hub-spoke" }), [
      "hub-eu-a.hub-eu-b.mpls0.mpls0",
      "hub-eu-a.hub-us.mpls0.mpls0",
      "hub-eu-a.spoke-ap.inet0.inet0",
      "hub-eu-a.spoke-eu.inet0.inet0",
      "hub-eu-a.spoke-eu.mpls0.mpls0",
      "hub-eu-b.hub-us.mpls0.mpls0",
      // hub-eu-b has no internet link: the spoke's internet link pairs with its first link.
      "hub-eu-b.spoke-ap.mpls0.inet0",
      "hub-eu-b.spoke-eu.mpls0.inet0",
      "hub-eu-b.spoke-eu.mpls0.mpls0",
    ]);
  });

  it("regional: hubs over every link, spokes to their region's hubs or the first two", () => {
    const regional = ids(sites, { type: "regional" });
    assert.ok(regional.includes("hub-eu-a.hub-eu-b.inet0.mpls0"));
    assert.deepEqual(
      regional.filter((id) => id.includes("spoke-ap")),
      ["hub-eu-a.spoke-ap.inet0.inet0", "hub-eu-b.spoke-ap.mpls0.inet0"],
    );
  });

  it("partial: a ring by name, each site to the next k over its first link, one tunnel per pair", () => {
    assert.equal(ids(sites, { type: "partial", k: 1 }).length, 5);
    assert.equal(ids(sites, { type: "partial", k: 2 }).length, 10);
    assert.equal(ids(sites, { type: "partial", k: 4 }).length, 10);
    assert.throws(() => meshTunnels(sites, { type: "partial", k: 0 }, 1000), TopologyError);
  });

  it("full: every pair, refused over the budget, none for a single site", () => {
    assert.equal(ids(sites, { type: "full" }).length, 10);
    assert.throws(() => meshTunnels(sites, { type: "full" }, 9), /over the tunnel budget of 9/);
    assert.deepEqual(ids(sites.slice(0, 1), { type: "full" }), []);
  });

  it("the order of the sites does not matter", () => {
    for (const topology of [
      { type: "hub-spoke" },
      { type: "regional" },
      { type: "partial", k: 2 },
    ] as const) {
      assert.deepEqual(ids([...sites].reverse(), topology), ids(sites, topology), topology.type);
    }
  });

  it("hub-spoke without a hub is refused once there is more than one site", () => {
    const spokes = sites.filter((s) => !s.hub);
    assert.throws(() => meshTunnels(spokes, { type: "hub-spoke" }, 1000), /at least one site with hub/);
    assert.deepEqual(ids(spokes.slice(0, 1), { type: "hub-spoke" }), []);
  });
});

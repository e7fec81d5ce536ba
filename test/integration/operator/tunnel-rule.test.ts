/**
 * The operator's tunnel rule and the harness's model of it are written apart, so that a mistake in
 * the one the path-status measurement uses cannot hide the same mistake in the operator. Here the
 * two must agree on generated worlds of every topology.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateWorld } from "../../../harness/mesh/model/world.ts";
import { computeTunnels, type Topology } from "../../../harness/mesh/topology/tunnels.ts";
import type { MeshTopology } from "../../../operator/api/v1alpha1/mesh.ts";
import { meshTunnels } from "../../../operator/controllers/mesh/tunnels.ts";

const TOPOLOGIES: [MeshTopology, Topology][] = [
  [{ type: "hub-spoke" }, { kind: "hub-spoke" }],
  [{ type: "regional" }, { kind: "regional" }],
  [
    { type: "partial", k: 1 },
    { kind: "partial", k: 1 },
  ],
  [
    { type: "partial", k: 3 },
    { kind: "partial", k: 3 },
  ],
  [{ type: "full" }, { kind: "full" }],
];

describe("the operator's tunnel rule and the harness's model agree", () => {
  for (const [sites, regions, hubsPerRegion, seed] of [
    [1, 1, 1, 1],
    [2, 1, 1, 2],
    [7, 2, 1, 3],
    [60, 3, 2, 4],
    [200, 5, 2, 5],
  ] as const) {
    it(`${sites} sites, ${regions} regions, ${hubsPerRegion} hubs per region`, () => {
      const world = generateWorld({ sites, regions, hubsPerRegion, seed });
      for (const [crd, model] of TOPOLOGIES) {
        const operator = meshTunnels(world.sites, crd, 50_000).map((t) => t.id);
        const harness = computeTunnels(world.sites, model).map((t) => t.id);
        assert.deepEqual(new Set(operator), new Set(harness), JSON.stringify(crd));
        assert.equal(operator.length, harness.length, JSON.stringify(crd));
      }
    });
  }
});

import assert from "node:assert/strict";
import { it } from "node:test";
import { generateWorld } from "../../mesh/model/world.ts";
import { computeTunnels, type TopologySite } from "../../mesh/topology/tunnels.ts";
import { PathStatusMeasurement } from "./path-status.ts";

it("recomputes the expected tunnels only when the live Site set changes", () => {
  const world = generateWorld({ sites: 12, regions: 2, hubsPerRegion: 1, seed: 5 });
  let live: TopologySite[] = world.sites.slice(0, 6);
  let version = 0;
  let computed = 0;
  const m = new PathStatusMeasurement({
    topology: () => ({ kind: "hub-spoke" }),
    liveSites: () => {
      computed++;
      return live;
    },
    liveVersion: () => version,
  });
  const first = m.expectedTunnels();
  const want = (sites: TopologySite[]) => computeTunnels(sites, { kind: "hub-spoke" }).map((t) => t.id);
  assert.deepEqual([...first].sort(), want(live).sort());
  m.expectedTunnels();
  m.complete();
  m.progress();
  assert.equal(computed, 1, "no recomputation while the live set is unchanged");
  assert.equal(m.complete(), false, "no Path exists yet");
  live = world.sites;
  version++;
  assert.deepEqual([...m.expectedTunnels()].sort(), want(live).sort());
  assert.equal(computed, 2);
  assert.match(m.describeMissing(), new RegExp(`^${want(live).length} tunnels expected, 0 Paths`));
});

/**
 * failover-site: a whole hub site fails; the spokes that used it move their traffic classes to
 * the region's other hub. site_failover_convergence runs from the injection to each reroute.
 */
import { defineScenario } from "../harness/scenario/define.ts";

export default defineScenario({
  name: "failover-site",
  description: "a hub site fails; spokes reroute to the other hub of their region",
  mesh: {
    sites: 200,
    regions: 4,
    hubsPerRegion: 2,
    topology: { type: "hub-spoke" },
    seed: 4,
    telemetryTick: "500ms",
    linkEventProbability: 0,
  },
  // Reroutes are judged on Paths and steered by Policies: an operator without them cannot run it.
  requires: { kinds: ["Site", "Policy", "Path"] },
  operator: { replicas: 1, concurrency: 8, qps: 200, burst: 400, workqueueQps: 500, workqueueBurst: 2000 },
  phases: [
    { kind: "create", name: "sites", object: "site", count: 200, maxInFlight: 50 },
    { kind: "wait-for", name: "sites-ready", condition: "ready", object: "site", timeout: "90s" },
    { kind: "wait-for", name: "paths-ready", condition: "paths", object: "path", timeout: "90s" },
    { kind: "create", name: "policies", object: "policy", count: 2 },
    { kind: "wait-for", name: "policies-applied", condition: "ready", object: "policy", timeout: "60s" },
    { kind: "sleep", duration: "3s" },
    {
      kind: "inject",
      name: "fail-hub",
      inject: {
        target: "mesh",
        action: "fail",
        request: { target: { kind: "hub", site: "site-00000" } },
        restoreAfter: "20s",
      },
      settle: "25s",
    },
  ],
  thresholds: {
    site_failover_convergence: ["p(99)<=5000", "count>0"],
    failover_unrestored: ["count==0"],
    lost_updates: ["count==0"],
  },
});

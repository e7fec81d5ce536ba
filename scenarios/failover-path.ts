/**
 * failover-path: with a 500 ms telemetry tick and policies steering traffic classes, a hub's MPLS
 * link fails; the operator sees the Paths go Down and reroutes the classes carried over them.
 * path_failover_convergence runs from the injection to the mesh applying the reroute
 * (figure: p99 ≤ 2 s). The link is restored after 20 s (Paths back Up: path_status_latency).
 */
import { defineScenario } from "../harness/scenario/define.ts";

export default defineScenario({
  name: "failover-path",
  description: "hub MPLS link fails under policies, 500 ms telemetry tick; reroute p99 ≤ 2 s",
  mesh: {
    sites: 200,
    regions: 4,
    hubsPerRegion: 2,
    topology: { type: "hub-spoke" },
    seed: 3,
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
    {
      kind: "create",
      name: "policies",
      object: "policy",
      count: 2,
      template: { preferredLinks: ["mpls", "internet", "lte"] },
    },
    { kind: "wait-for", name: "policies-applied", condition: "ready", object: "policy", timeout: "60s" },
    { kind: "sleep", duration: "3s" },
    {
      kind: "inject",
      name: "fail-hub-mpls",
      inject: {
        target: "mesh",
        action: "fail",
        request: { target: { kind: "link", site: "site-00000", link: "mpls-0" } },
        restoreAfter: "20s",
      },
      settle: "25s",
    },
  ],
  thresholds: {
    path_failover_convergence: ["p(99)<=2000", "count>0"],
    path_status_latency: ["p(99)<=3000"],
    failover_unrestored: ["count==0"],
    lost_updates: ["count==0"],
  },
});

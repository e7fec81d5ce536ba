/**
 * failover-leader: three operator replicas with controller-runtime's election timings; the
 * leader is SIGKILLed 20 s into a churn load. leader_failover_gap runs from the kill to another
 * replica holding the Lease and reconciling (figure: ≤ lease + retry + 1 s = 18 s), and no
 * change made meanwhile may be lost.
 */
import { defineScenario } from "../harness/scenario/define.ts";

export default defineScenario({
  name: "failover-leader",
  description: "3 replicas; SIGKILL the leader during churn; gap ≤ lease + retry + 1 s, no lost updates",
  mesh: { sites: 300, regions: 4, hubsPerRegion: 2, topology: { type: "hub-spoke" }, seed: 5 },
  operator: {
    replicas: 3,
    concurrency: 8,
    qps: 200,
    burst: 400,
    workqueueQps: 500,
    workqueueBurst: 2000,
    leaderElection: { leaseDuration: "15s", renewDeadline: "10s", retryPeriod: "2s" },
  },
  phases: [
    { kind: "create", name: "sites", object: "site", count: 300, maxInFlight: 50 },
    { kind: "wait-for", name: "sites-ready", condition: "ready", object: "site", timeout: "90s" },
    {
      kind: "load",
      name: "churn",
      executor: { type: "constant-arrival-rate", rate: 20, duration: "60s" },
      mix: { create: 1, update: 3, delete: 1 },
      maxInFlight: 100,
      during: [{ after: "20s", inject: { target: "operator", action: "kill-leader", signal: "SIGKILL" } }],
    },
    { kind: "wait-for", name: "settled", condition: "ready", object: "site", timeout: "90s" },
    { kind: "wait-for", name: "deletes-done", condition: "gone", object: "site", timeout: "90s" },
    { kind: "wait-for", name: "paths-settled", condition: "paths", object: "path", timeout: "90s" },
  ],
  thresholds: {
    leader_failover_gap: ["max<=18000", "count==1"],
    lost_updates: ["count==0"],
  },
});

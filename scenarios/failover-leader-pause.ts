/**
 * failover-leader-pause: failover-leader's three replicas, but the leader is frozen (SIGSTOP) 10 s
 * into the churn and resumed (SIGCONT) 20 s later — a long GC pause or a frozen VM. A standby takes
 * the Lease once it has not been renewed for a lease duration (~15–17 s); the frozen leader resumes
 * with its pending writes due at once. A leader that fences itself makes none of them: no write
 * without the Lease (stale_writes), nobody else writing while the new leader leads
 * (dual_leader_seconds), and nothing lost.
 */
import { defineScenario } from "../harness/scenario/define.ts";

export default defineScenario({
  name: "failover-leader-pause",
  description:
    "3 replicas; SIGSTOP the leader during churn, SIGCONT 20 s later; no stale writes, no lost updates",
  mesh: { sites: 300, regions: 4, hubsPerRegion: 2, topology: { type: "hub-spoke" }, seed: 5 },
  // Its subject is the leader's fencing: an operator without leader election has no leader to
  // freeze or cut off (failover-leader measures such an operator's replicas instead).
  requires: { kinds: ["Site"], capabilities: ["leaderElection"] },
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
      during: [{ after: "10s", inject: { target: "operator", action: "pause-leader", duration: "20s" } }],
    },
    { kind: "wait-for", name: "settled", condition: "ready", object: "site", timeout: "90s" },
    { kind: "wait-for", name: "deletes-done", condition: "gone", object: "site", timeout: "90s" },
    { kind: "wait-for", name: "paths-settled", condition: "paths", object: "path", timeout: "90s" },
  ],
  thresholds: {
    stale_writes: ["count==0"],
    lost_updates: ["count==0"],
    dual_leader_seconds: ["value<=0"],
  },
});

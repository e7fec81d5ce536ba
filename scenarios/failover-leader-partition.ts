/**
 * failover-leader-partition: failover-leader's three replicas; 10 s into the churn the leader is
 * cut off from the apiserver for 20 s (its link drops every packet; the others and the Patronus API
 * still reach it), and 40 s in, whoever leads then is cut off from the Patronus API for 15 s.
 * From the apiserver, the leader cannot renew: it must stop writing — to the Patronus API too,
 * which it still reaches — before a standby may take the Lease. From the Patronus API, the leader
 * keeps its Lease and its calls wait or fail until the link heals, then catch up. Either way: no
 * write without the Lease, nobody else writing while a leader leads, nothing lost.
 */
import { defineScenario } from "../harness/scenario/define.ts";
import { leaderChurn } from "./_leader-churn.ts";

export default defineScenario({
  name: "failover-leader-partition",
  description:
    "3 replicas; the leader cut off from the apiserver (20 s), then from the Patronus API (15 s), during churn; no stale writes, no lost updates",
  // Its subject is the leader's fencing: an operator without leader election has no leader to
  // freeze or cut off (failover-leader measures such an operator's replicas instead).
  requires: { kinds: ["Site"], capabilities: ["leaderElection"] },
  ...leaderChurn([
    {
      after: "10s",
      inject: { target: "operator", action: "partition-leader", from: "apiserver", duration: "20s" },
    },
    {
      after: "40s",
      inject: { target: "operator", action: "partition-leader", from: "patronus-api", duration: "15s" },
    },
  ]),
  thresholds: {
    stale_writes: ["count==0"],
    lost_updates: ["count==0"],
    dual_leader_seconds: ["value<=0"],
  },
});

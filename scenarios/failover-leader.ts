/**
 * failover-leader: three operator replicas with controller-runtime's election timings; the
 * leader is SIGKILLed 20 s into a churn load. leader_failover_gap runs from the kill to another
 * replica holding the Lease and reconciling (figure: ≤ lease + retry + 1 s = 18 s), and no
 * change made meanwhile may be lost.
 */
import { defineScenario } from "../harness/scenario/define.ts";
import { leaderChurn } from "./_leader-churn.ts";

export default defineScenario({
  name: "failover-leader",
  description: "3 replicas; SIGKILL the leader during churn; gap ≤ lease + retry + 1 s, no lost updates",
  ...leaderChurn([
    { after: "20s", inject: { target: "operator", action: "kill-leader", signal: "SIGKILL" } },
  ]),
  thresholds: {
    leader_failover_gap: ["max<=18000", "count==1"],
    lost_updates: ["count==0"],
  },
});

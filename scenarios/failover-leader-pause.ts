/**
 * failover-leader-pause: failover-leader's three replicas, but the leader is frozen (SIGSTOP) 10 s
 * into the churn and resumed (SIGCONT) 20 s later — a long GC pause or a frozen VM. A standby takes
 * the Lease once it has not been renewed for a lease duration (~15–17 s); the frozen leader resumes
 * with its pending writes due at once. A leader that fences itself makes none of them: no write
 * without the Lease (stale_writes), nobody else writing while the new leader leads
 * (dual_leader_seconds), and nothing lost.
 */
import { defineScenario } from "../harness/scenario/define.ts";
import { leaderChurn } from "./_leader-churn.ts";

export default defineScenario({
  name: "failover-leader-pause",
  description:
    "3 replicas; SIGSTOP the leader during churn, SIGCONT 20 s later; no stale writes, no lost updates",
  // Its subject is the leader's fencing: an operator without leader election has no leader to
  // freeze or cut off (failover-leader measures such an operator's replicas instead).
  requires: { kinds: ["Site"], capabilities: ["leaderElection"] },
  ...leaderChurn([{ after: "10s", inject: { target: "operator", action: "pause-leader", duration: "20s" } }]),
  thresholds: {
    stale_writes: ["count==0"],
    lost_updates: ["count==0"],
    dual_leader_seconds: ["value<=0"],
  },
});

/**
 * failover-controlplane: during churn, restart kube-apiserver, then etcd (embedded, or kind's static pods).
 * controlplane_recovery runs from the component healthy again to the operator having caught up
 * (a probe change observed in status); nothing may be lost.
 *
 * Each restart has its own churn phase: a load phase waits for its injection's recovery, so the
 * etcd restart never lands inside the apiserver's recovery window and each figure is of one fault.
 * An apiserver restart outlasts the 10 s renew deadline on this machine, so the operator loses its
 * Lease and exits, as controller-runtime does; the recovery then includes its restart and the
 * lease duration a fresh identity waits out — what a production Deployment goes through.
 */
import { defineScenario } from "../harness/scenario/define.ts";

const churn = { type: "constant-arrival-rate", rate: 20, duration: "60s" } as const;

export default defineScenario({
  name: "failover-controlplane",
  description: "restart kube-apiserver, then etcd, during churn; recovery time, no lost updates",
  mesh: { sites: 300, regions: 4, hubsPerRegion: 2, topology: { type: "hub-spoke" }, seed: 6 },
  operator: { replicas: 1, concurrency: 8, qps: 200, burst: 400, workqueueQps: 500, workqueueBurst: 2000 },
  phases: [
    { kind: "create", name: "sites", object: "site", count: 300, maxInFlight: 50 },
    { kind: "wait-for", name: "sites-ready", condition: "ready", object: "site", timeout: "90s" },
    {
      kind: "load",
      name: "churn-apiserver-restart",
      executor: churn,
      mix: { create: 0, update: 1, delete: 0 },
      maxInFlight: 100,
      during: [{ after: "15s", inject: { target: "controlplane", component: "kube-apiserver" } }],
    },
    {
      kind: "load",
      name: "churn-etcd-restart",
      executor: churn,
      mix: { create: 0, update: 1, delete: 0 },
      maxInFlight: 100,
      during: [{ after: "15s", inject: { target: "controlplane", component: "etcd" } }],
    },
    { kind: "wait-for", name: "settled", condition: "ready", object: "site", timeout: "120s" },
    { kind: "wait-for", name: "paths-settled", condition: "paths", object: "path", timeout: "120s" },
  ],
  thresholds: {
    controlplane_recovery: ["max<=30000", "count==2"],
    lost_updates: ["count==0"],
  },
});

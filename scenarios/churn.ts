/**
 * churn: 1000 Sites, then 2 minutes of a mixed create/update/delete load at 50 ops/s on the
 * open model (constant-arrival-rate). Thresholds: site_ready_latency and
 * update_observed_latency p99 ≤ 1 s, achieved rate within ±2 % of 50/s, no lost updates.
 */
import { defineScenario } from "../harness/scenario/define.ts";

export default defineScenario({
  name: "churn",
  description: "1000 sites, 2 min of mixed create/update/delete at 50 ops/s; p99 ≤ 1 s, no lost updates",
  mesh: { sites: 1000, regions: 10, hubsPerRegion: 2, topology: { type: "hub-spoke" }, seed: 2 },
  operator: {
    replicas: 1,
    // controller-runtime's default limits (client 20 qps, workqueue 10 qps) cap a 1000-site burst
    // at ~10 reconciles/s; a scale gate runs the operator as production would at this size.
    // Reconciles wait on the apiserver and the Patronus API, so workers, not CPU, bound the rate.
    // 50 ops/s needs ~80 Site reconciles/s; 16 workers per controller do that at ~200 ms each,
    // and more only queued at the apiserver on 2 cores, in front of the load driver's own
    // requests (measured on the shared cores, at different loads: 32 workers 43.6/s achieved,
    // 16 workers 49.96/s and 0 dropped).
    concurrency: 16,
    pathConcurrency: 16,
    qps: 500,
    burst: 1000,
    workqueueQps: 1000,
    workqueueBurst: 5000,
  },
  phases: [
    { kind: "create", name: "populate", object: "site", count: 1000, maxInFlight: 100 },
    { kind: "wait-for", name: "populated", condition: "ready", object: "site", timeout: "120s" },
    { kind: "wait-for", name: "paths-ready", condition: "paths", object: "path", timeout: "120s" },
    {
      kind: "load",
      name: "churn",
      executor: { type: "constant-arrival-rate", rate: 50, duration: "2m" },
      mix: { create: 1, update: 3, delete: 1 },
      // k6's preAllocatedVUs: room for 50/s at up to 6 s per request before arrivals are dropped.
      maxInFlight: 300,
    },
    { kind: "wait-for", name: "settled", condition: "ready", object: "site", timeout: "60s" },
    { kind: "wait-for", name: "deletes-done", condition: "gone", object: "site", timeout: "60s" },
    { kind: "wait-for", name: "paths-settled", condition: "paths", object: "path", timeout: "60s" },
  ],
  thresholds: {
    // The churn's own requests: the populate burst before it (1000 Sites at once) is scale-1000's
    // subject and stays in the unlabelled site_ready_latency, reported but not gated here.
    'site_ready_latency{phase="churn"}': ["p(99)<=1000"],
    'update_observed_latency{phase="churn"}': ["p(99)<=1000"],
    achieved_rate: ["avg>=49", "avg<=51"],
    dropped_iterations: ["count==0"],
    lost_updates: ["count==0"],
  },
});

/**
 * soak: a steady mixed load for a long time (10 min by default; set it with
 * --set phases[2].executor.duration=2h) to find growth: the operator's RSS slope after warm-up.
 */
import { defineScenario } from "../harness/scenario/define.ts";

export default defineScenario({
  name: "soak",
  description: "steady mixed load for a configurable duration (default 10 min); operator RSS slope",
  mesh: { sites: 500, regions: 5, hubsPerRegion: 2, topology: { type: "hub-spoke" }, seed: 9 },
  operator: { replicas: 1, concurrency: 8, qps: 200, burst: 400, workqueueQps: 500, workqueueBurst: 2000 },
  sampleInterval: "5s",
  phases: [
    { kind: "create", name: "sites", object: "site", count: 500, maxInFlight: 50 },
    { kind: "wait-for", name: "sites-ready", condition: "ready", object: "site", timeout: "120s" },
    {
      kind: "load",
      name: "steady",
      executor: { type: "constant-arrival-rate", rate: 10, duration: "10m" },
      mix: { create: 1, update: 3, delete: 1 },
      arrivals: "poisson",
    },
    { kind: "wait-for", name: "settled", condition: "ready", object: "site", timeout: "120s" },
    { kind: "wait-for", name: "deletes-done", condition: "gone", object: "site", timeout: "120s" },
    { kind: "wait-for", name: "paths-settled", condition: "paths", object: "path", timeout: "120s" },
  ],
  thresholds: {
    operator_rss_slope_bytes_per_hour: ["value<=52428800"],
    update_observed_latency: ["p(99)<=2000"],
    lost_updates: ["count==0"],
  },
});

/**
 * smoke: the whole pipeline at small scale in under a minute — 50 Sites created, Ready and
 * their Paths reporting, a short open-model mix of updates, deletes and creates, two Policies
 * applied. Used by the integration tests; its thresholds are loose on purpose (it checks that
 * everything is measured and correct, not how fast).
 */
import { defineScenario } from "../harness/scenario/define.ts";

export default defineScenario({
  name: "smoke",
  description: "50 sites end to end in under a minute: create, Ready, Paths, a short mixed load, policies",
  mesh: {
    sites: 50,
    regions: 2,
    hubsPerRegion: 2,
    topology: { type: "hub-spoke" },
    seed: 7,
    telemetryTick: "1s",
  },
  operator: { replicas: 1, concurrency: 8, qps: 200, burst: 400, workqueueQps: 500, workqueueBurst: 2000 },
  checkpoints: [25, 50],
  phases: [
    { kind: "create", name: "create-sites", object: "site", count: 50, maxInFlight: 25 },
    { kind: "wait-for", name: "sites-ready", condition: "ready", object: "site", timeout: "45s" },
    { kind: "wait-for", name: "paths-ready", condition: "paths", object: "path", timeout: "45s" },
    {
      kind: "load",
      name: "mixed-load",
      executor: { type: "constant-arrival-rate", rate: 10, duration: "8s" },
      mix: { create: 1, update: 6, delete: 1 },
      maxInFlight: 20,
    },
    { kind: "create", name: "policies", object: "policy", count: 2 },
    { kind: "wait-for", name: "settled", condition: "ready", object: "site", timeout: "30s" },
    { kind: "wait-for", name: "policies-applied", condition: "ready", object: "policy", timeout: "30s" },
  ],
  thresholds: {
    site_ready_latency: ["p(99)<10000"],
    update_observed_latency: ["p(99)<10000"],
    policy_apply_latency: ["max<15000"],
    dropped_iterations: ["count==0"],
    lost_updates: ["count==0"],
  },
});

/**
 * What the leader-failover scenarios share: three replicas with controller-runtime's election
 * timings, 300 Sites, a 60 s churn at 20 ops/s with a fault injected during it, and the waits
 * that say the system settled afterwards. Each scenario names its fault and its thresholds.
 */
import type { ScenarioInput } from "../harness/scenario/schema.ts";

type LoadPhase = Extract<NonNullable<ScenarioInput["phases"]>[number], { kind: "load" }>;

export function leaderChurn(
  during: LoadPhase["during"],
): Pick<ScenarioInput, "mesh" | "operator" | "phases"> {
  return {
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
        during,
      },
      { kind: "wait-for", name: "settled", condition: "ready", object: "site", timeout: "90s" },
      { kind: "wait-for", name: "deletes-done", condition: "gone", object: "site", timeout: "90s" },
      { kind: "wait-for", name: "paths-settled", condition: "paths", object: "path", timeout: "90s" },
    ],
  };
}

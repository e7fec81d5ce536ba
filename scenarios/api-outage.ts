/**
 * api-outage: the Patronus API answers 503 for 30 s while Sites keep changing. The operator must
 * back off (no retry storm: the request rate during the outage stays bounded) and drain its
 * queue within 10 s of the API returning, losing nothing.
 */
import { defineScenario } from "../harness/scenario/define.ts";

export default defineScenario({
  name: "api-outage",
  description: "Patronus API 503 for 30 s under load; bounded request rate, queue drained ≤ 10 s after",
  mesh: { sites: 200, regions: 4, hubsPerRegion: 2, topology: { type: "hub-spoke" }, seed: 8 },
  operator: { replicas: 1, concurrency: 8, qps: 200, burst: 400, workqueueQps: 500, workqueueBurst: 2000 },
  phases: [
    { kind: "create", name: "sites", object: "site", count: 200, maxInFlight: 50 },
    { kind: "wait-for", name: "sites-ready", condition: "ready", object: "site", timeout: "90s" },
    {
      kind: "load",
      name: "changes",
      executor: { type: "constant-arrival-rate", rate: 10, duration: "60s" },
      mix: { create: 0, update: 1, delete: 0 },
      during: [
        {
          after: "10s",
          inject: { target: "mesh", action: "api", request: { kind: "unavailable", durationMs: 30_000 } },
        },
      ],
    },
    { kind: "wait-for", name: "settled", condition: "ready", object: "site", timeout: "90s" },
    { kind: "wait-for", name: "paths-settled", condition: "paths", object: "path", timeout: "90s" },
  ],
  thresholds: {
    api_outage_drain: ["max<=10000", "count==1"],
    outage_request_rate_max: ["value<=100"],
    lost_updates: ["count==0"],
  },
});

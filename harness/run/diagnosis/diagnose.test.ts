import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import type { Results } from "../../results/schema.ts";
import { diagnose } from "./diagnose.ts";

const event = (kind: string, detail: Record<string, unknown>) => ({ t: 1, kind, source: "test", detail });

it("says why objects never became Ready: Failed messages, restarts, the operator's errors, what the API received, steady state", async () => {
  const dir = await mkdtemp(join(tmpdir(), "diagnose-"));
  try {
    const log = [
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `2026-12-07T01:00:0${i % 10}.5Z ERROR reconcile{site_name=site-000${10 + i}}: Failed to create/update site in Patronus: Patronus API error: API returned 503 Service Unavailable`,
      ),
      "2026-12-07T01:00:09.9Z  INFO Reconciliation completed",
    ].join("\n");
    await writeFile(join(dir, "operator-0-0.log"), log);
    await writeFile(join(dir, "mesh.log"), "ERROR not the operator's\n");
    const results = {
      coverage: { expected: 52, observed: 40 },
      metrics: {
        steady_state_patronus_calls_per_object_per_minute: { type: "gauge", unit: "1/min", value: 118.2 },
        steady_state_apiserver_writes_per_object_per_minute: { type: "gauge", unit: "1/min", value: 120 },
      },
      events: [
        event("objects.failed", {
          count: 10,
          messages: { "Failed to create/update: Patronus API error: API returned 503": 10 },
        }),
        event("object.failed", { kind: "site", name: "site-00010", message: "…" }),
        event("coverage.missing", { objects: ["site/site-00010 (create)", "site/site-00049 (create)"] }),
        event("lost-updates", {
          count: 4,
          mismatched: 0,
          missing: 0,
          leftOver: 4,
          first: ["site/site-00018: left in the mesh with no such object in the cluster"],
        }),
        event("operator.crashed", { replica: 0, code: 101, signal: null }),
        event("operator.crashed", { replica: 0, code: 101, signal: null }),
        event("patronus-requests", {
          total: 1037,
          routes: ["PUT /api/v1/sites/{name}: 1000 × 200, 37 × 503"],
          writers: 3,
          writes: 1037,
          concurrentWrites: 600,
          objectsWrittenConcurrently: 50,
          windowMs: 5000,
          examples: [],
        }),
        event("field-managers", { objects: 50, managers: { "kube-rs (status)": 50 } }),
        event("steady-state", { windowSeconds: 30, objects: 50 }),
      ],
    } as unknown as Results;
    const d = await diagnose(results, dir, { logFormat: "text" });
    assert.deepEqual(d.lines, [
      "12 of 52 requests (creates, updates, deletes) never observed done; 10 objects ended Failed:",
      "  10 × Failed to create/update: Patronus API error: API returned 503",
      "  not Ready and not Failed at the end, e.g. site/site-00049 (create)",
      "4 lost updates (4 left over), e.g.:",
      "  site/site-00018: left in the mesh with no such object in the cluster",
      "operator restarted 2 times (2 × exit code 101)",
      "operator log: 12 errors and 0 warnings in 13 lines; most frequent:",
      "  12 × ERROR reconcile{site_name=site-<n>}: Failed to create/update site in Patronus: Patronus API error: API returned 503 Service Unavailable",
      "Patronus API received 1037 requests:",
      "  PUT /api/v1/sites/{name}: 1000 × 200, 37 × 503",
      "3 replicas wrote to the Patronus API: 50 objects written by more than one replica within 5 s of each other (600 such writes of 1037)",
      "  the apiserver's field managers of the Sites and Policies: kube-rs (status) — they do not tell the replicas apart",
      "at steady state (30 s, 50 objects, nothing changed): 118.2 Patronus API calls and 120 apiserver writes per object per minute — the operator keeps working with nothing to do",
    ]);
    assert.equal(d.restarts, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it("says nothing of objects when every request was observed done", async () => {
  const results = { coverage: { expected: 5, observed: 5 }, metrics: {}, events: [] } as unknown as Results;
  const d = await diagnose(results, "/nonexistent", { logFormat: "json" });
  assert.deepEqual(d.lines, []);
});

/**
 * A Patronus API outage against a running operator: Sites created during it report the outage
 * in a condition, the operator backs off behind its circuit breaker instead of storming the API
 * (the request count the simulator served during the outage is asserted), and everything
 * converges once the API is back.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { condition, type OperatorEnv, scrape, site, startEnv, waitFor } from "./env.ts";
import type { OperatorProcess } from "./operator-process.ts";

const OUTAGE_MS = 12_000;
const SITES = 20;

describe("Patronus API outage", { timeout: 300_000 }, () => {
  let env: OperatorEnv;
  let op: OperatorProcess;

  before(async () => {
    env = await startEnv();
    op = await env.startOperator("op-outage");
  });

  after(async () => {
    await env?.stop();
  });

  it("backs off with a bounded request count during the outage and recovers after it", async (t) => {
    await env.objects.create("sites", site("before-1"));
    await waitFor(
      "before-1 Ready",
      async () => condition(await env.objects.get("sites", "before-1"), "Ready")?.status === "True",
    );
    const served = async () =>
      (await scrape(`${env.sim.url}/metrics`)).sum("mesh_http_requests_total", { code: "503" });
    const refusedBefore = await served();

    await env.sim.faults.api({ kind: "unavailable", durationMs: OUTAGE_MS });
    const outageEnds = Date.now() + OUTAGE_MS;
    for (let i = 0; i < SITES; i++) await env.objects.create("sites", site(`during-${i}`));
    await env.objects.delete("sites", "before-1");

    const s = await waitFor("a Site reporting the outage", async () => {
      const o = await env.objects.get("sites", "during-0");
      return condition(o, "Ready")?.reason === "PatronusUnavailable" ? o : undefined;
    });
    assert.equal(condition(s, "Ready")?.status, "False");
    assert.equal(s.status.phase, "Registering");
    const deleting = await waitFor("before-1 waiting to deregister", async () => {
      const o = await env.objects.get("sites", "before-1");
      return o?.status?.phase === "Deleting" ? o : undefined;
    });
    assert.equal(condition(deleting, "Ready")?.reason, "Deleting");

    await new Promise((r) => setTimeout(r, Math.max(0, outageEnds - Date.now())));
    const refused = (await served()) - refusedBefore;
    const m = await scrape(op.metricsUrl);
    t.diagnostic(
      `requests refused during the outage: ${refused}; refused locally by the breaker: ${m.sum("patronus_client_circuit_rejected_total")}`,
    );
    // Without the breaker: 20 Sites × 4 attempts per reconcile × several requeues, i.e. hundreds.
    // With it: ~5 failures to open, one trial per open window (2 s, 4 s, 8 s), plus the telemetry
    // stream's jittered reconnects.
    assert.ok(
      refused <= 40,
      `the API refused ${refused} requests during a ${OUTAGE_MS} ms outage: a retry storm`,
    );
    assert.ok(refused >= 5, `only ${refused} requests reached the API: the test did not exercise the outage`);
    assert.ok(
      m.sum("patronus_client_circuit_rejected_total") > 0,
      "calls were refused locally while the circuit was open",
    );
    assert.ok(m.sum("patronus_client_circuit_transitions_total", { state: "open" }) >= 1);

    const recoveredAt = await waitFor(
      "every Site Ready (and before-1 gone) after the outage",
      async () => {
        const all = await env.objects.list("sites");
        return all.length === SITES && all.every((o) => condition(o, "Ready")?.status === "True")
          ? Date.now()
          : undefined;
      },
      60_000,
      500,
    );
    t.diagnostic(`all Sites Ready ${recoveredAt - outageEnds} ms after the outage ended`);
    const gone = await fetch(`${env.sim.apiUrl}/sites/before-1`, {
      headers: { authorization: `Bearer ${env.sim.token}` },
    });
    assert.equal(gone.status, 404, "the delete made during the outage deregistered the site afterwards");
    const m2 = await scrape(op.metricsUrl);
    assert.equal(m2.sum("patronus_client_circuit_state"), 0, "circuit closed again");
    assert.ok(
      recoveredAt - outageEnds < 45_000,
      `recovery took ${recoveredAt - outageEnds} ms after the outage`,
    );
  });
});

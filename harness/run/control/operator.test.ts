import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { it } from "node:test";
import type { OperatorReplicas } from "../system/operators.ts";
import type { ControlContext } from "./index.ts";
import { injectOperatorAction } from "./operator.ts";

/** /metrics of a standby whose reconcile counter moves from the third scrape on. */
async function standbyMetrics() {
  let scrapes = 0;
  const server = createServer((_, res) => {
    scrapes++;
    res.end(`my_reconciles_total ${scrapes > 2 ? 5 : 0}\n`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    close: () => server.close(),
  };
}

/** Two replicas, a-0 leading; after the kill b-1 holds the Lease. */
async function failover(reconcileTotal: string | undefined) {
  const metrics = await standbyMetrics();
  let killed = false;
  const recorded: Array<[string, number]> = [];
  const events: Array<{ kind: string; detail: unknown }> = [];
  const replicas = [
    { index: 0, identity: "a-0", running: true, pid: 1, metricsUrl: "http://127.0.0.1:9/metrics" },
    { index: 1, identity: "b-1", running: true, pid: 2, metricsUrl: metrics.url },
  ];
  const operators = {
    view: { replicas: () => replicas, lease: { namespace: "ns", name: "lease" } },
    leaderIdentity: async () => (killed ? "b-1" : "a-0"),
    replicaByIdentity: (id: string) => replicas.find((r) => r.identity === id),
    kill: async () => {
      killed = true;
      return "SIGKILL";
    },
    restart: async () => {},
  } as unknown as OperatorReplicas;
  const ctx = {
    definition: {
      operator: { leaderElection: { leaseDuration: 1000, retryPeriod: 100, renewDeadline: 500 } },
    },
    operatorDefinition: { metrics: { others: [], ...(reconcileTotal ? { reconcileTotal } : {}) } },
    events: { record: (kind: string, _source: string, detail: unknown) => events.push({ kind, detail }) },
    store: { record: (name: string, v: number) => recorded.push([name, v]), count: () => {} },
    progress: { log: () => {} },
    signal: new AbortController().signal,
  } as unknown as ControlContext;
  const outcome = await injectOperatorAction(ctx, operators, {
    target: "operator",
    action: "kill-leader",
    signal: "SIGKILL",
    replica: 0,
  } as never);
  metrics.close();
  return { outcome, recorded, kinds: events.map((e) => e.kind) };
}

it("measures the gap to the new leader reconciling, by the operator's own reconcile counter", async () => {
  const { outcome, recorded, kinds } = await failover("my_reconciles_total");
  assert.equal(recorded[0]?.[0], "leader_failover_gap");
  assert.ok(outcome.measuredMs !== undefined);
  assert.ok(kinds.includes("leader.reconciling"), kinds.join(", "));
});

it("an operator without a reconcile counter is measured to the election, and the event says so", async () => {
  const { outcome, recorded, kinds } = await failover(undefined);
  assert.equal(recorded[0]?.[0], "leader_failover_gap");
  assert.ok(outcome.measuredMs !== undefined);
  assert.ok(kinds.includes("leader.elected.measured"), kinds.join(", "));
  assert.ok(!kinds.includes("leader.reconciling"));
});

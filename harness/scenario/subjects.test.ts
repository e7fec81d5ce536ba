import assert from "node:assert/strict";
import { it } from "node:test";
import patronusRs from "../operators/builtin/patronus-rs/index.ts";
import reference from "../operators/builtin/reference/index.ts";
import type { OperatorDefinition } from "../operators/definition.ts";
import { loadScenario } from "./load.ts";
import { planRun, refusal, subjectOf } from "./subjects.ts";

const upstream = subjectOf(patronusRs as OperatorDefinition);
const onReference = subjectOf(reference as OperatorDefinition);

it("refuses in one line a scenario whose required kinds the operator lacks", async () => {
  const { definition } = await loadScenario("failover-path");
  const line = refusal(definition, upstream);
  assert.equal(
    line,
    "scenario failover-path needs Path resources; the operator patronus-rs has none (it serves Site, Policy)",
  );
  assert.equal(refusal(definition, onReference), undefined);
});

it("leaves out the Path phases of smoke on an operator without Paths, and their thresholds do not apply", async () => {
  const { definition } = await loadScenario("smoke");
  assert.equal(refusal(definition, upstream), undefined);
  const plan = planRun(definition, upstream);
  const skipped = plan.phases.filter((p) => p.skipped).map((p) => definition.phases[p.index]?.name);
  assert.deepEqual(skipped, ["paths-ready"]);
  assert.equal(plan.paths, false);
  assert.deepEqual(
    plan.notApplicable.map((n) => n.subject),
    ["phase paths-ready", "measurement path-status", "metric workqueue_depth"],
  );
  assert.equal(
    plan.notApplicable[2]?.reason,
    "not applicable: the operator patronus-rs has no queue depth metric",
  );
  assert.equal(
    plan.notApplicable[0]?.reason,
    "not applicable: the operator patronus-rs has no Path resource",
  );
  assert.deepEqual([...plan.thresholds.keys()], []);
  const full = planRun(definition, onReference);
  assert.ok(full.phases.every((p) => p.phase));
  assert.deepEqual(full.notApplicable, []);
});

it("thresholds follow the metric's subject or the phase their label names", async () => {
  const { definition } = await loadScenario("scale-1000");
  const plan = planRun(definition, upstream);
  assert.equal(
    plan.thresholds.get('convergence_seconds{wait="paths-ready"}'),
    "not applicable: the operator patronus-rs has no Path resource",
  );
  assert.equal(plan.thresholds.has("site_ready_latency"), false);
});

it("runs failover-leader without leader election, leaving out the kill of the leader and its gap", async () => {
  const { definition } = await loadScenario("failover-leader");
  assert.equal(refusal(definition, upstream), undefined);
  const plan = planRun(definition, upstream);
  const churn = plan.phases.find((p) => definition.phases[p.index]?.name === "churn")?.phase;
  assert.equal(churn?.kind, "load");
  assert.deepEqual(churn?.kind === "load" ? churn.during : undefined, []);
  assert.ok(
    plan.notApplicable.some((n) => /kill-leader/.test(n.subject) && /leader election/.test(n.reason)),
  );
  assert.equal(
    plan.thresholds.get("leader_failover_gap"),
    "not applicable: the operator patronus-rs has no leader election",
  );
});

it("a phase marked optional: false makes what it uses required", async () => {
  const loaded = await loadScenario("smoke");
  const phases = loaded.definition.phases.map((p) =>
    p.name === "paths-ready" ? { ...p, optional: false } : p,
  );
  const definition = { ...loaded.definition, phases };
  assert.match(refusal(definition, upstream) ?? "", /^scenario smoke needs Path resources;/);
});

it("a threshold on a figure read from an operator metric the operator does not export does not apply", async () => {
  const { definition } = await loadScenario("smoke", {
    set: ['thresholds={"workqueue_depth":["max<100"],"reconcile_errors":["count==0"]}'],
  });
  const plan = planRun(definition, upstream);
  assert.deepEqual(
    [...plan.thresholds.entries()],
    [["workqueue_depth", "not applicable: the operator patronus-rs has no queue depth metric"]],
  );
  assert.deepEqual([...planRun(definition, onReference).thresholds.keys()], []);
});

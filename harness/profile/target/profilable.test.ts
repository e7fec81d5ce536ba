import assert from "node:assert/strict";
import { it } from "node:test";
import { HarnessError } from "../../errors.ts";
import patronusRs from "../../operators/builtin/patronus-rs/index.ts";
import reference from "../../operators/builtin/reference/index.ts";
import type { OperatorDefinition } from "../../operators/definition.ts";
import { profilingTarget, startsUnderNode } from "./profilable.ts";

const rs = patronusRs as OperatorDefinition;
const ref = reference as OperatorDefinition;
const cpu = { name: "cpu", needsInspector: true } as const;
const doctor = { name: "doctor", needsInspector: false } as const;

it("the inspector tools need an operator started by Node; doctor takes any", () => {
  assert.equal(startsUnderNode(ref), true);
  assert.equal(startsUnderNode(rs), false);
  assert.equal(startsUnderNode({ start: { ...rs.start, command: ["/usr/bin/node22", "op.js"] } }), true);
  assert.throws(
    () => profilingTarget(rs, cpu, 1),
    (err: unknown) =>
      err instanceof HarnessError &&
      /--tool cpu attaches to a Node\.js process's V8 inspector; the operator patronus-rs is not started by Node/.test(
        err.message,
      ),
  );
  assert.equal(profilingTarget(rs, doctor, 3), undefined, "no leader election: any replica");
});

it("with several replicas of an operator that elects a leader, its leader metric finds the target", () => {
  assert.equal(profilingTarget(ref, cpu, 3), "leader_election_master_status");
  assert.equal(profilingTarget(ref, cpu, 1), undefined, "one replica: it is the one");
  const noLeaderMetric = { ...ref, metrics: { ...ref.metrics, leader: undefined } };
  assert.throws(
    () => profilingTarget(noLeaderMetric, cpu, 2),
    /declares no leader metric \(metrics\.leader\)/,
  );
});

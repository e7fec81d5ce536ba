/**
 * The operator under test as the run's plan and objects see it: its name, kinds and
 * capabilities. A run given a resolved operator uses its definition; without one, the built-in
 * reference operator's.
 */

import { HarnessError } from "../errors.ts";
import reference from "../operators/builtin/reference/index.ts";
import type { LoadedOperator, OperatorDefinition } from "../operators/definition.ts";
import type { ScenarioDefinition } from "../scenario/schema.ts";
import { planRun, type RunPlan, refusal, subjectOf } from "../scenario/subjects.ts";

export type OperatorUnderTest = Pick<OperatorDefinition, "name" | "kinds" | "capabilities" | "metrics">;

export function operatorUnderTest(loaded: LoadedOperator | undefined): OperatorUnderTest {
  return loaded?.definition ?? (reference as OperatorDefinition);
}

/**
 * The run's plan on this operator, or a HarnessError (exit 1) naming in one line what the
 * scenario needs that the operator lacks — before anything starts.
 */
export function planFor(def: ScenarioDefinition, operator: OperatorUnderTest): RunPlan {
  const refused = refusal(def, subjectOf(operator));
  if (refused)
    throw new HarnessError(refused, {
      fix: "run it on an operator that has them (--operator), or pick a scenario this operator can run (patronus-bench list)",
    });
  return planRun(def, subjectOf(operator));
}

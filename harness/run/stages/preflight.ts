/**
 * Before anything starts: what the scenario asks of the run that this operator or this harness
 * cannot give is refused here, in one line, so a run never half-starts to fail. The plan says
 * which phases, measurements and thresholds apply to this operator.
 */
import { HarnessError } from "../../errors.ts";
import { requireDisablable } from "../../measure/builtin.ts";
import type { LoadedOperator } from "../../operators/definition.ts";
import type { ScenarioDefinition } from "../../scenario/schema.ts";
import type { RunPlan } from "../../scenario/subjects.ts";
import { planFor } from "../subject.ts";

export function preflight(def: ScenarioDefinition, operator: LoadedOperator): RunPlan {
  // The replicas are started by the reference operator's launcher; another operator would run as
  // the reference one while results.json named it.
  if (!(operator.origin === "built-in" && operator.definition.name === "reference"))
    throw new HarnessError(
      `operator ${operator.definition.name}: this orchestrator starts only the reference operator`,
      { fix: "run with --operator reference" },
    );
  requireDisablable(def.disableMeasurements);
  return planFor(def, operator.definition);
}

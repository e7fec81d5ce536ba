/**
 * Before anything starts: what the scenario asks of the run that this operator or this harness
 * cannot give is refused here, in one line, so a run never half-starts to fail. The plan says
 * which phases, measurements and thresholds apply to this operator.
 */
import { usesProjectImage } from "../../container/image/operator-image.ts";
import { HarnessError } from "../../errors.ts";
import { requireDisablable } from "../../measure/builtin.ts";
import type { LoadedOperator } from "../../operators/definition.ts";
import type { ScenarioDefinition } from "../../scenario/schema.ts";
import type { RunPlan } from "../../scenario/subjects.ts";
import { planFor } from "../subject.ts";

export function preflight(def: ScenarioDefinition, operator: LoadedOperator): RunPlan {
  requireDisablable(def.disableMeasurements);
  const { runtime } = def.operator;
  if (runtime !== "process" && !operator.definition.image)
    throw new HarnessError(
      `operator ${operator.definition.name} has no image, so runtime "${runtime}" cannot start it`,
      { fix: "run it as a process (--runtime process, the default), or give its definition an `image`" },
    );
  const image = operator.definition.image;
  if (runtime === "cluster" && !usesProjectImage(operator) && !(image?.helmChart && image.helmValues))
    throw new HarnessError(
      `operator ${operator.definition.name} has no Helm chart (image.helmChart and image.helmValues), so runtime "cluster" cannot install it`,
      { fix: "run it as a process or with --runtime container, or give its definition a chart" },
    );
  return planFor(def, operator.definition);
}

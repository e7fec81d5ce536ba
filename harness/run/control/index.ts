/** The run's SystemControl: routes each injection to the mesh, the operator group or the cluster. */
import type { Injection } from "../../scenario/phases.ts";
import type { InjectionOutcome, RunContext, SystemControl } from "../context.ts";
import type { MeshProcess } from "../system/mesh-process.ts";
import type { OperatorReplicas } from "../system/operators.ts";
import { injectControlPlaneRestart } from "./controlplane.ts";
import { injectMeshFault } from "./mesh.ts";
import { injectOperatorAction } from "./operator.ts";

export function systemControl(mesh: MeshProcess, operators: OperatorReplicas): SystemControl {
  return {
    inject(injection: Injection, ctx: RunContext): Promise<InjectionOutcome> {
      switch (injection.target) {
        case "mesh":
          return injectMeshFault(ctx, mesh, injection);
        case "operator":
          return injectOperatorAction(ctx, operators, injection);
        case "controlplane":
          return injectControlPlaneRestart(ctx, injection);
      }
    },
  };
}

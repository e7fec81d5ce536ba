/** The run's SystemControl: routes each injection to the mesh, the operator group, the cluster or the fault injector. */
import type { FaultInjector } from "../../faults/injector.ts";
import type { Injection } from "../../scenario/phases.ts";
import type { InjectionOutcome, RunContext, SystemControl } from "../context.ts";
import type { MeshProcess } from "../system/mesh-process.ts";
import type { OperatorReplicas } from "../system/operators.ts";
import { injectControlPlaneRestart } from "./controlplane.ts";
import { injectMeshFault } from "./mesh.ts";
import { injectOperatorAction } from "./operator.ts";

const replicaOf = (i: { action: string; replica: number }) =>
  i.action.endsWith("-leader") ? ("leader" as const) : i.replica;

export function systemControl(
  mesh: MeshProcess,
  operators: OperatorReplicas,
  faults: FaultInjector,
): SystemControl {
  return {
    async inject(injection: Injection, ctx: RunContext): Promise<InjectionOutcome> {
      switch (injection.target) {
        case "mesh":
          if (injection.action === "pause") {
            await faults.inject({ type: "pause", target: { kind: "mesh" }, durationMs: injection.duration });
            return {};
          }
          return injectMeshFault(ctx, mesh, injection);
        case "operator":
          switch (injection.action) {
            case "pause":
            case "pause-leader":
              await faults.inject({
                type: "pause",
                target: { kind: "operator", replica: replicaOf(injection) },
                durationMs: injection.duration,
              });
              return {};
            case "partition":
            case "partition-leader":
              await faults.inject({
                type: "partition",
                replica: replicaOf(injection),
                from: injection.from,
                durationMs: injection.duration,
              });
              return {};
            default:
              return injectOperatorAction(ctx, operators, injection);
          }
        case "controlplane":
          if (injection.action === "pause") {
            await faults.inject({
              type: "pause",
              target: { kind: "controlplane", component: injection.component },
              durationMs: injection.duration,
            });
            return {};
          }
          return injectControlPlaneRestart(ctx, injection);
      }
    },
  };
}

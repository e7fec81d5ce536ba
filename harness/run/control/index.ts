/**
 * The run's injections: routes each to the mesh, the operator replicas, the cluster or the fault
 * injector (pause, partition). Injections that are measured need more than a phase sees (the Path
 * expectations of a mesh fault, the cluster's restart of a component): the control holds those.
 */
import type { ClusterHandle } from "../../cluster/index.ts";
import type { FaultInjector } from "../../faults/injector.ts";
import type { PathStatusMeasurement } from "../../measure/path-status/path-status.ts";
import type { OperatorDefinition } from "../../operators/definition.ts";
import type { Injection } from "../../scenario/phases.ts";
import type { InjectionOutcome, PhaseContext } from "../context.ts";
import type { MeshProcess } from "../system/mesh-process.ts";
import type { OperatorReplicas } from "../system/operators.ts";
import { injectControlPlaneRestart } from "./controlplane.ts";
import { injectMeshFault } from "./mesh.ts";
import { injectOperatorAction } from "./operator.ts";

/** A phase's context plus what the injections act on and report to. */
export interface ControlContext extends PhaseContext {
  cluster: ClusterHandle;
  /** Absent where the run watches no Paths (nothing then expects a fault to show in them). */
  paths: PathStatusMeasurement | undefined;
  /** The operator under test's definition (its metric names). */
  operatorDefinition: OperatorDefinition;
}

export interface SystemParts {
  mesh: MeshProcess;
  operators: OperatorReplicas;
  cluster: ClusterHandle;
  paths: PathStatusMeasurement | undefined;
  faults: FaultInjector;
  operator: OperatorDefinition;
}

const replicaOf = (i: { action: string; replica: number }) =>
  i.action.endsWith("-leader") ? ("leader" as const) : i.replica;

export function injectInto(
  parts: SystemParts,
): (injection: Injection, ctx: PhaseContext) => Promise<InjectionOutcome> {
  const { faults } = parts;
  return async (injection, phaseCtx) => {
    const ctx: ControlContext = {
      ...phaseCtx,
      cluster: parts.cluster,
      paths: parts.paths,
      operatorDefinition: parts.operator,
    };
    switch (injection.target) {
      case "mesh":
        if (injection.action === "pause") {
          await faults.inject({ type: "pause", target: { kind: "mesh" }, durationMs: injection.duration });
          return {};
        }
        return injectMeshFault(ctx, parts.mesh, injection);
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
            return injectOperatorAction(ctx, parts.operators, injection);
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
  };
}

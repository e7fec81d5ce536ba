/**
 * Mesh faults through the simulator's fault API. For faults that take tunnels down (fail) or
 * bring them back (restore), the affected Paths are expected to report it, which is what
 * path_status_latency measures; convergence itself is read from the mesh's event log by the
 * mesh-failover measurement.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Tunnel } from "../../../contract/patronus-api/v1.ts";
import type { FaultTarget } from "../../mesh/faults/schema.ts";
import type { World } from "../../mesh/model/world.ts";
import type { MeshFault as AnyMeshFault } from "../../scenario/phases.ts";
import type { InjectionOutcome } from "../context.ts";
import type { MeshProcess } from "../system/mesh-process.ts";
import type { ControlContext } from "./index.ts";

/** Programmed tunnels (of live Paths) that run over the target. */
function tunnelsOver(world: World, target: FaultTarget, paths: Set<string>): string[] {
  const regionOf = new Map(world.sites.map((s) => [s.name, s.region]));
  const hit = (t: Tunnel): boolean => {
    switch (target.kind) {
      case "link":
        return (
          (t.siteA === target.site && t.linkA === target.link) ||
          (t.siteB === target.site && t.linkB === target.link)
        );
      case "site":
      case "hub":
        return t.siteA === target.site || t.siteB === target.site;
      case "region":
        return regionOf.get(t.siteA) === target.region || regionOf.get(t.siteB) === target.region;
    }
  };
  return world.tunnels.filter((t) => paths.has(t.id) && hit(t)).map((t) => t.id);
}

/** Faults the simulator's fault API carries out (a pause is the fault injector's). */
type MeshFault = Exclude<AnyMeshFault, { action: "pause" }>;

/** The Paths over the target expected to report `state` (none where the run watches no Paths). */
function expectPaths(
  ctx: ControlContext,
  mesh: MeshProcess,
  target: FaultTarget,
  state: "Up" | "Down",
  since: number,
): number {
  const paths = ctx.paths;
  return paths ? paths.expect(tunnelsOver(mesh.world, target, paths.expectedTunnels()), state, since) : 0;
}

export async function injectMeshFault(
  ctx: ControlContext,
  mesh: MeshProcess,
  fault: MeshFault,
): Promise<InjectionOutcome> {
  const at = performance.now();
  const detail: Record<string, unknown> = { action: fault.action, request: fault.request };
  switch (fault.action) {
    case "fail": {
      const f = await mesh.faults.fail(fault.request.target, fault.request.durationMs);
      detail.id = f.id;
      detail.expectedPaths = expectPaths(ctx, mesh, fault.request.target, "Down", at);
      break;
    }
    case "restore":
      detail.cleared = await mesh.faults.restore(fault.request.target);
      detail.expectedPaths = expectPaths(ctx, mesh, fault.request.target, "Up", at);
      break;
    case "degrade":
      detail.id = (await mesh.faults.degrade(fault.request)).id;
      break;
    case "flap":
      detail.id = (await mesh.faults.flap(fault.request)).id;
      break;
    case "api":
      detail.id = (await mesh.faults.api(fault.request)).id;
      break;
  }
  ctx.events.record("fault.inject", "harness", detail, at);
  if (fault.restoreAfter !== undefined && (fault.action === "fail" || fault.action === "degrade")) {
    const target = fault.request.target;
    void sleep(fault.restoreAfter, undefined, { signal: ctx.signal })
      .then(async () => {
        const restoredAt = performance.now();
        const cleared = await mesh.faults.restore(target);
        const expected = fault.action === "fail" ? expectPaths(ctx, mesh, target, "Up", restoredAt) : 0;
        ctx.events.record("fault.clear", "harness", { target, cleared, expectedPaths: expected }, restoredAt);
      })
      .catch(() => {});
  }
  return {};
}

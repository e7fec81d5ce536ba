/**
 * A run's mesh as `mesh.shards` simulator replicas behind the shard router, all local processes
 * under the run's ProcessSet. The measurements see one mesh: the router's event log, site list
 * and request count (it counts every Patronus API call once, at the front), and CPU/RSS summed
 * over the router and every replica.
 */

import { API_BASE_PATH } from "../../../contract/patronus-api/v1.ts";
import { HarnessError } from "../../errors.ts";
import { FaultClient } from "../../mesh/client/faults.ts";
import type { World } from "../../mesh/model/world.ts";
import { startShardedMesh } from "../../mesh/router/launch.ts";
import type { ProcessSet } from "../../process/supervisor.ts";
import type { ScenarioDefinition } from "../../scenario/schema.ts";
import { type MeshProcess, meshView, type SimulatorChoice, simulatorArgs } from "./mesh-process.ts";

export async function startShardedMeshFor(
  def: ScenarioDefinition,
  runDir: string,
  world: World,
  tokenFile: string,
  token: string,
  processes: ProcessSet,
  choice: SimulatorChoice = { dialect: "reference" },
): Promise<MeshProcess> {
  if (def.mesh.runtime !== "process") {
    throw new HarnessError(`mesh.shards ${def.mesh.shards} needs mesh.runtime "process"`, {
      fix: "set mesh.runtime to process, or mesh.shards to 1 for a containerised simulator",
    });
  }
  const mesh = await startShardedMesh(processes, {
    shards: def.mesh.shards,
    tokenFile,
    simulatorArgs: simulatorArgs(def, choice),
    logDir: runDir,
  });
  const faults = new FaultClient({ url: mesh.url, token });
  const apiUrl = `${mesh.url}${API_BASE_PATH}`;
  const view = meshView(
    mesh.url,
    apiUrl,
    token,
    faults,
    () => (mesh.router.running ? mesh.router.pid : undefined),
    choice.dialect,
  );
  return {
    url: mesh.url,
    apiUrl,
    token,
    tokenFile,
    faults,
    world,
    view: { ...view, pids: () => mesh.pids() },
    stop: async () => {
      // The router first: it is the replicas' only client.
      await mesh.router.stop();
      await Promise.all(mesh.replicas.map((r) => r.stop()));
    },
  };
}

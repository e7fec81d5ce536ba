/**
 * The mesh simulator sharded in-cluster (`mesh.shards` > 1): one Deployment + Service per shard
 * replica (`--shard i/N`, stable Service names the router addresses) and the shard router under
 * the simulator's own name, so the operator's Patronus URL and the harness's port-forward reach
 * the router unchanged. Generated and dry-run validated here; never run on a real cluster in this
 * repository's tests (the embedded cluster has no nodes).
 */

import { MESH_NAME, meshAccount, meshArgs, meshWorkload } from "./objects.ts";
import type { DeployOptions } from "./options.ts";

export function shardName(index: number): string {
  return `${MESH_NAME}-shard-${index}`;
}

export function shardedMeshObjects(o: DeployOptions): object[] {
  const n = o.mesh.shards;
  const urls = Array.from(
    { length: n },
    (_, i) => `http://${shardName(i)}.${o.namespace}.svc:${o.mesh.port}`,
  );
  const replicas = Array.from({ length: n }, (_, i) =>
    meshWorkload(o, shardName(i), [
      ...meshArgs(o),
      "--shard",
      `${i}/${n}`,
      // The router enforces the clients' rate; its fan-out to the replicas must not be throttled.
      "--rate",
      "1000000",
      "--burst",
      "1000000",
    ]),
  );
  return [
    meshAccount(o),
    ...replicas.flat(),
    ...meshWorkload(o, MESH_NAME, [...meshArgs(o), "--replicas", urls.join(",")]),
  ];
}

/** What the shard router holds itself: the shards, the ownership map and the ids spanning shards. */
import type { Tunnel } from "../../../contract/patronus-api/v1.ts";
import type { ShardMap } from "../model/ownership.ts";
import type { FanFault, FanOperation, MergedEvents } from "./events.ts";
import type { CompositeIds } from "./ids.ts";
import type { ReplicaClient } from "./upstream.ts";

export interface ShardRouterState {
  replicas: readonly ReplicaClient[];
  shards: ShardMap;
  operations: CompositeIds<FanOperation>;
  faults: CompositeIds<FanFault>;
  /** Programmed tunnel sets by mesh, as clients sent them (shards hold their parts). */
  meshes: Map<string, Map<string, Tunnel>>;
  events: MergedEvents;
  nextOperationId(): string;
  nextFaultId(): string;
}

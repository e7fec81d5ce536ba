/** What results.json records of the operator under test (`run.operator`), and what it has and lacks. */
import type { RunOperator } from "../results/schema.ts";
import { KindName, type LoadedOperator, type OperatorDefinition } from "./definition.ts";

export function runOperatorRecord(loaded: LoadedOperator, image?: string): RunOperator {
  return {
    name: loaded.definition.name,
    origin: loaded.origin,
    ...(loaded.file ? { definition: loaded.file } : {}),
    version: loaded.definition.version,
    source: loaded.artifact ? { dir: loaded.artifact.sourceDir, digest: loaded.artifact.digest } : null,
    ...(image ? { image } : {}),
  };
}

export interface OperatorFeatures {
  kinds: KindName[];
  lacks: KindName[];
  /** `namespace/name` of its Lease, or null. */
  leaderElection: string | null;
  finalizers: boolean;
}

export function operatorFeatures(def: OperatorDefinition): OperatorFeatures {
  const le = def.capabilities.leaderElection;
  return {
    kinds: KindName.options.filter((k) => def.kinds[k] !== undefined),
    lacks: KindName.options.filter((k) => def.kinds[k] === undefined),
    leaderElection: le ? `${le.namespace}/${le.name}` : null,
    finalizers: def.capabilities.finalizers,
  };
}

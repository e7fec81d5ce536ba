/** The measurements a run starts, by name; a scenario can leave any out (disableMeasurements). */
import { HarnessError } from "../errors.ts";
import {
  type JudgedKind,
  type JudgedKinds,
  LostUpdatesMeasurement,
} from "../measure/correctness/lost-updates.ts";
import { CrLatencyMeasurement } from "../measure/cr-latency/cr-latency.ts";
import { MeshFailoverMeasurement } from "../measure/failover/mesh-failover.ts";
import { FieldManagersMeasurement } from "../measure/field-managers/field-managers.ts";
import type { Measurement } from "../measure/measurement.ts";
import type { PathStatusMeasurement } from "../measure/path-status/path-status.ts";
import { PatronusRequestsMeasurement } from "../measure/patronus-requests/patronus-requests.ts";
import { ProcessUsageMeasurement } from "../measure/process/process-usage.ts";
import { ApiserverMetricsMeasurement } from "../measure/scrape/apiserver-metrics.ts";
import { MeshMetricsMeasurement } from "../measure/scrape/mesh-metrics.ts";
import { OperatorMetricsMeasurement } from "../measure/scrape/operator-metrics.ts";
import { PatronusApiCallersMeasurement } from "../measure/scrape/patronus-api-callers.ts";
import { type CallerRequestSource, SplitBrainMeasurement } from "../measure/split-brain/split-brain.ts";
import type { KindSpec, KubeObject, OperatorDefinition } from "../operators/definition.ts";
import { MESH_NAME } from "./setup.ts";

export const OPTIONAL_MEASUREMENTS = [
  "process-usage",
  "operator-metrics",
  "mesh-metrics",
  "apiserver-metrics",
  "mesh-failover",
  "lost-updates",
  "split-brain",
  "patronus-api-callers",
  "patronus-requests",
  "field-managers",
] as const;

export interface MeasurementSet {
  crLatency: CrLatencyMeasurement;
  paths: PathStatusMeasurement;
  all: Measurement[];
}

/**
 * cr-latency always runs, and path-status wherever the operator has Paths: wait-for phases and
 * coverage depend on them. split-brain runs where the replicas' requests are known by caller
 * (their own links).
 */
export function buildMeasurements(
  disabled: readonly string[],
  paths: PathStatusMeasurement,
  callers?: CallerRequestSource,
  operator: { paths: boolean; kinds?: OperatorDefinition["kinds"] } = { paths: true },
): MeasurementSet {
  for (const name of disabled) {
    if (!(OPTIONAL_MEASUREMENTS as readonly string[]).includes(name)) {
      throw new HarnessError(`disableMeasurements: unknown measurement "${name}"`, {
        fix: `use some of ${OPTIONAL_MEASUREMENTS.join(", ")} (cr-latency and path-status cannot be disabled)`,
      });
    }
  }
  const crLatency = new CrLatencyMeasurement();
  const optional: Measurement[] = [
    new ProcessUsageMeasurement(),
    new OperatorMetricsMeasurement(),
    new MeshMetricsMeasurement(),
    new ApiserverMetricsMeasurement(),
    new MeshFailoverMeasurement(),
    new PatronusApiCallersMeasurement(),
    new PatronusRequestsMeasurement(),
    new FieldManagersMeasurement(),
    new LostUpdatesMeasurement({
      ...(operator.paths ? { tunnels: { mesh: MESH_NAME, expected: () => paths.expectedTunnels() } } : {}),
      ...(operator.kinds ? { kinds: judgedKinds(operator.kinds) } : {}),
    }),
    ...(callers ? [new SplitBrainMeasurement(callers)] : []),
  ].filter((m) => !disabled.includes(m.name));
  return { crLatency, paths, all: [crLatency, ...(operator.paths ? [paths] : []), ...optional] };
}

/** The operator's kinds as lost_updates judges them: its resources, Ready and update-observed rules. */
function judgedKinds(kinds: OperatorDefinition["kinds"]): JudgedKinds {
  const judged = (k: KindSpec): JudgedKind => ({
    kind: k.kind,
    apiVersion: `${k.group}/${k.version}`,
    ready: (obj) => k.ready(obj as KubeObject),
    updateObserved: (obj, sent) => k.updateObserved?.(obj as KubeObject, sent) ?? true,
  });
  return {
    site: judged(kinds.Site),
    ...(kinds.Policy ? { policy: judged(kinds.Policy) } : {}),
    ...(kinds.Path
      ? { path: { kind: kinds.Path.kind, apiVersion: `${kinds.Path.group}/${kinds.Path.version}` } }
      : {}),
  };
}

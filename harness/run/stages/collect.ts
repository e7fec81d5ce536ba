/**
 * Stage 5, collect: stops the measurements (they write their final metrics), times the capacity
 * probe again (the machine's capacity at the end against the start), records what the
 * operator and simulator ran under, marks what did not apply to this operator, diagnoses the run
 * and writes results.json atomically.
 */
import { runOperatorRecord } from "../../operators/record.ts";
import type { Results } from "../../results/schema.ts";
import { writeResults } from "../../results/write.ts";
import { diagnose } from "../diagnosis/diagnose.ts";
import { withApplicability } from "../not-applicable.ts";
import type { PhaseRecord } from "../phases/index.ts";
import { buildResults } from "../results.ts";
import { recordContainers } from "../system/container-record.ts";
import type { CapacityProbe } from "./capacity-probe.ts";
import type { Measuring } from "./measure.ts";
import type { Provisioned } from "./provision.ts";
import type { RunScope } from "./scope.ts";
import type { SystemUnderTest } from "./start.ts";

export async function collectResults(
  scope: RunScope,
  { cluster }: Provisioned,
  system: SystemUnderTest,
  measuring: Measuring,
  phases: PhaseRecord[],
  probe: CapacityProbe,
): Promise<Results> {
  const { def, options, store } = scope;
  await measuring.stop();
  await probe.atEnd(system);
  const coverage = measuring.coverage();
  const runtimeKnobs = await recordContainers(
    system.runtimes,
    system.observedAtStart,
    system.operators,
    store,
  );
  if (system.inCluster) {
    const { recordInCluster } = await import("../system/in-cluster/index.ts");
    Object.assign(runtimeKnobs, await recordInCluster(system.inCluster, store));
  }
  const built = await buildResults({
    id: options.id,
    definition: def,
    startedAt: scope.startedAt,
    finishedAt: new Date(),
    ...(options.repeat ? { repeat: options.repeat } : {}),
    cluster,
    operator: runOperatorRecord(scope.operator),
    metrics: store.toMetrics(),
    phases,
    events: scope.events,
    checkpoints: measuring.checkpoints(),
    coverage,
  });
  const results = withApplicability(built, scope.plan);
  Object.assign(results.run.cluster.knobs, runtimeKnobs);
  const diagnosis = await diagnose(results, options.dir, {
    logFormat: scope.operator.definition.start.log,
  }).catch((err: unknown) => ({ lines: [`diagnosis failed: ${(err as Error).message}`] }));
  if (diagnosis.lines.length > 0) results.diagnosis = diagnosis;
  await writeResults(options.dir, results);
  if (options.keep) scope.log(`--keep: this run's objects stay in namespace ${def.namespace}`);
  return results;
}

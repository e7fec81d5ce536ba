/**
 * One run of a scenario, as stages: refuse what cannot run (preflight) → provision the cluster →
 * install what the operator needs → start the system (simulator, operator replicas) → time the
 * capacity probe → run the phases under measurement → time the probe again and collect the results. Each stage registers the cleanup of what it acquires as it acquires it; teardown
 * runs last-in-first-out when runOnce leaves, whether it returns, fails or is interrupted.
 * On Ctrl-C (the interrupt option) the run ends its phase, cleans up and writes no results; a
 * second Ctrl-C has the process supervisor stop every child at once.
 */
import { Interrupted } from "../errors.ts";
import { DEFAULT_OPERATOR } from "../operators/builtin/index.ts";
import { prepareInstall } from "../operators/install/index.ts";
import { loadOperatorDefinition } from "../operators/load.ts";
import type { Results } from "../results/schema.ts";
import type { ScenarioDefinition } from "../scenario/schema.ts";
import type { RunOnceOptions } from "./options.ts";
import { phaseName } from "./phases/index.ts";
import { probeAtStart } from "./stages/capacity-probe.ts";
import { collectResults } from "./stages/collect.ts";
import { installOperator } from "./stages/install.ts";
import { type Measuring, startMeasuring } from "./stages/measure.ts";
import { runPhases } from "./stages/phases.ts";
import { preflight } from "./stages/preflight.ts";
import { provisionCluster } from "./stages/provision.ts";
import { openScope } from "./stages/scope.ts";
import { startSystem } from "./stages/start.ts";
import { prepareRuntimes } from "./system/runtime.ts";

export type { PhaseHooks, RunOnceOptions } from "./options.ts";

export async function runOnce(def: ScenarioDefinition, options: RunOnceOptions): Promise<Results> {
  const operator = options.operator ?? (await loadOperatorDefinition(DEFAULT_OPERATOR));
  const plan = preflight(def, operator);
  const scope = openScope(def, options, operator, plan);
  await using _teardown = scope.teardown;
  // Checkpoints are taken once measuring starts; the live view reads them as they come.
  let measuring: Measuring | undefined;
  const followed = options.outputs?.follow({
    id: options.id,
    startedAtMs: scope.startedAt.getTime(),
    store: scope.store,
    events: scope.events,
    scrapes: scope.scrapes,
    phases: def.phases.map((p, i) => phaseName(p, i)),
    status: () => options.progress.status?.() ?? "",
    checkpoints: () => measuring?.checkpoints() ?? [],
    ...(options.outputLabels ? { labels: options.outputLabels } : {}),
  });
  if (followed) scope.teardown.defer("output sinks", () => followed.stop());
  // Before the cluster: a missing engine, a stale image or an unreadable CRD fails in seconds.
  const runtimes = await prepareRuntimes(def, operator, scope.log);
  const install = await prepareInstall(operator);
  const provisioned = await provisionCluster(scope, install.crds);
  await installOperator(scope, provisioned, install);
  const system = await startSystem(scope, provisioned, runtimes);
  const probe = await probeAtStart(scope);
  measuring = await startMeasuring(scope, provisioned, system);
  const phases = await runPhases(scope, measuring.phases, measuring.steadyState);
  if (options.interrupt?.aborted) throw new Interrupted(options.interrupt.reason as NodeJS.Signals);
  // Awaited here: teardown runs when this block is left, which must be after the results are written.
  const results = await collectResults(scope, provisioned, system, measuring, phases, probe);
  followed?.ended(results);
  return results;
}

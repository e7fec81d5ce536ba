/**
 * Stage 4b, the phases under measurement, in order, each bracketed by the run's phase hooks; a
 * phase the operator cannot take (the plan's) is left out and says why. The run stops early when
 * it is aborted (its signal, Ctrl-C) or an abortOnFail threshold fails; else it ends with its
 * steady-state window when the scenario has one.
 */
import type { MetricStore } from "../../measure/metrics/store.ts";
import type { Phase } from "../../scenario/phases.ts";
import { type ScenarioDefinition, thresholdSpecs } from "../../scenario/schema.ts";
import { evaluateThresholds } from "../../scenario/threshold/evaluate.ts";
import type { PhaseContext } from "../context.ts";
import { type PhaseRecord, phaseName, runPhase, runSteadyState } from "../phases/index.ts";
import type { RunScope } from "./scope.ts";

export async function runPhases(
  scope: RunScope,
  ctx: PhaseContext,
  /** Measures the quiet end of the run (scenario steadyState.window). */
  steadyState: (windowMs: number) => Promise<void>,
): Promise<PhaseRecord[]> {
  const { def, store, options } = scope;
  const hooks = options.phaseHooks;
  const records: PhaseRecord[] = [];
  for (const { index: i, phase, skipped } of scope.plan.phases) {
    if (scope.signal.aborted) break;
    if (!phase) {
      const name = phaseName(def.phases[i] as Phase, i);
      scope.events.record("phase.not-applicable", "harness", { name, reason: skipped });
      scope.log(`phase ${name} left out: ${skipped}`);
      continue;
    }
    await hooks?.beforePhase?.(phaseName(phase, i), ctx);
    records.push(await runPhase(ctx, phase, i));
    await hooks?.afterPhase?.(phaseName(phase, i), ctx);
    const failed = abortingThreshold(def, store, (performance.now() - scope.origin) / 1000);
    if (failed) {
      scope.events.record("threshold.abort", "harness", { threshold: failed });
      scope.log(`aborting: threshold ${failed} failed (abortOnFail)`);
      break;
    }
  }
  if (def.steadyState.window > 0 && !scope.signal.aborted && !options.interrupt?.aborted)
    records.push(await runSteadyState(ctx, def.steadyState.window, steadyState));
  return records;
}

/** The first abortOnFail threshold failing on the metrics so far, if any. */
function abortingThreshold(def: ScenarioDefinition, store: MetricStore, seconds: number): string | undefined {
  const specs = thresholdSpecs(def).filter((s) => s.abortOnFail);
  if (specs.length === 0) return undefined;
  const failed = evaluateThresholds(specs, store.toMetrics(), seconds).find(
    (r) => !r.passed && r.value !== null,
  );
  return failed ? `${failed.metric} ${failed.expression} (value ${failed.value})` : undefined;
}

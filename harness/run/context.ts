/**
 * What a phase sees of a run in progress: the load driver's operation context, the run's store,
 * events and progress, the simulated Patronus API, and two verbs — `inject` (a fault or failover
 * action, measured by the run) and `waitFor` (a condition over the run's objects, judged by the
 * measurements). Phases never reach into measurement objects or the system's handles.
 */

import type { OperationContext } from "../load/operations.ts";
import type { RunEventLog } from "../measure/events/run-events.ts";
import type { MetricStore } from "../measure/metrics/store.ts";
import type { OperatorView } from "../measure/targets.ts";
import type { Injection, ObjectKind } from "../scenario/phases.ts";
import type { ScenarioDefinition } from "../scenario/schema.ts";

export interface InjectionOutcome {
  /** Milliseconds the effect took to be confirmed (e.g. failover convergence), when measured. */
  measuredMs?: number;
}

export interface Progress {
  phase(name: string, kind: string): void;
  /** Load-driver figures for the current second. */
  rate(target: number, achieved: number): void;
  log(line: string): void;
  /** The current progress line (phase, rate, live figures), for a live view. */
  status?(): string;
}

/**
 * A condition over the run's objects: every object of a kind the run wrote observed Ready (or
 * gone), or every tunnel the live Sites imply reported by a Path.
 */
export type WaitCondition = { object: ObjectKind; state: "ready" | "gone" } | { state: "paths" };

export interface WaitOutcome {
  ok: boolean;
  /** What is still missing, in a few words (when not ok). */
  missing?: string;
  /** Objects of the condition's kind the operator reports Failed (not waited for). */
  failing?: ReadonlyArray<{ name: string; message: string }>;
}

export interface PhaseContext extends OperationContext {
  definition: ScenarioDefinition;
  store: MetricStore;
  events: RunEventLog;
  progress: Progress;
  signal: AbortSignal;
  /** The operator replicas as the measurements see them (the profiler's window finds its leader here). */
  operator: OperatorView;
  /** The simulated Patronus API (base URL of the simulator and its bearer token). */
  patronus: { url: string; token: string };
  /** performance.now() when the latest phase that changes objects (create/churn/load/inject) began. */
  timeline: { actionStartedAt: number };
  inject(injection: Injection): Promise<InjectionOutcome>;
  /** Resolves when the condition holds, or at the timeout / abort with ok false. */
  waitFor(condition: WaitCondition, timeoutMs: number): Promise<WaitOutcome>;
}

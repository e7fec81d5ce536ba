/** How one run of a scenario is asked for: its directory and id, its signals, hooks and options. */
import type { LoadedOperator } from "../operators/definition.ts";
import type { Outputs } from "../outputs/index.ts";
import type { PhaseContext } from "./context.ts";
import type { ConsoleProgress } from "./progress.ts";

export interface RunOnceOptions {
  dir: string;
  id: string;
  repeat?: { index: number; of: number };
  progress: ConsoleProgress;
  /** Ends the run early the normal way: measurements stopped, results written (profile's window). */
  signal?: AbortSignal;
  /**
   * The user stopped the run (Ctrl-C; the reason is the signal's name): it ends its phase, cleans
   * up and throws Interrupted without writing results, which would look complete.
   */
  interrupt?: AbortSignal;
  /** Optional, awaited around each phase; see PhaseHooks. */
  phaseHooks?: PhaseHooks;
  /** kind/kubeconfig: leave the cluster, this run's objects and in-cluster workloads in place. */
  keep?: boolean;
  /** The operator under test, resolved (and built) by harness/operators/load.ts; absent: the reference operator. */
  operator?: LoadedOperator;
  /** The command's `--out` sinks: they follow this run's samples and events and get its results. */
  outputs?: Outputs;
  /** Labels of this run's series in the sinks, over the command's (e.g. an A/B side). */
  outputLabels?: Record<string, string>;
}

/**
 * Hook for `patronus-bench profile` (harness/profile/, profiling helper): called before and after
 * each phase with the phase's context, so a profiler can open its window on the operator leader
 * for chosen phases only. A hook that throws fails the run like a failed phase (teardown still runs).
 */
export interface PhaseHooks {
  beforePhase?(name: string, ctx: PhaseContext): Promise<void>;
  afterPhase?(name: string, ctx: PhaseContext): Promise<void>;
}

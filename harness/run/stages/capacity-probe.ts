/**
 * The capacity probe at both ends of the run: once the system is up and before anything is
 * measured, and again after the measurements stop, so neither the probe's requests nor its CPU
 * land in the run's figures. Both times and their ratio go into the metrics, where the
 * contamination judgement reads them. A probe that fails costs the run nothing but its figure.
 *
 * The operator replicas are frozen while the end probe runs: at the start they have nothing to do
 * yet, at the end an operator that keeps working at steady state (a status write per reconcile
 * that triggers the next one) would load the same apiserver, and the probe would blame the
 * machine for the subject's own work. In-cluster pods cannot be frozen; their probe says so.
 */
import { type Freezable, frozenContainer, frozenProcess } from "../../faults/freeze.ts";
import { probeCapacity } from "../../measure/machine/capacity-probe.ts";
import { PROBE_END, PROBE_RATIO, PROBE_START } from "../../measure/machine/contamination.ts";
import type { RunScope } from "./scope.ts";
import type { SystemUnderTest } from "./start.ts";

export interface CapacityProbe {
  /** Probes again, with the operator frozen, and records the end time and end/start ratio. */
  atEnd(system: SystemUnderTest): Promise<void>;
}

export async function probeAtStart(scope: RunScope): Promise<CapacityProbe> {
  const run = async (at: "start" | "end"): Promise<number | undefined> => {
    try {
      return await probeCapacity();
    } catch (err) {
      scope.events.record("capacity-probe.failed", "harness", { at, error: (err as Error).message });
      scope.log(`capacity probe at the ${at} failed: ${(err as Error).message}`);
      return undefined;
    }
  };
  const start = await run("start");
  if (start !== undefined) scope.store.gauge(PROBE_START, round(start), "s");
  return {
    atEnd: async (system) => {
      if (scope.signal.aborted) return;
      const frozen = subjectFreezables(system);
      if (system.inCluster)
        scope.events.record("capacity-probe.subject-running", "harness", {
          reason: "in-cluster operator pods cannot be frozen; the end probe includes their work",
        });
      const end = await whileFrozen(frozen, () => run("end")).catch((err: unknown) => {
        scope.events.record("capacity-probe.failed", "harness", { at: "end", error: (err as Error).message });
        scope.log(`capacity probe at the end skipped: ${(err as Error).message}`);
        return undefined;
      });
      if (end === undefined) return;
      scope.store.gauge(PROBE_END, round(end), "s");
      if (start !== undefined) scope.store.gauge(PROBE_RATIO, round(end / start), "ratio");
    },
  };
}

/** The operator's live replicas on this machine: containers by their freezer, processes by signal. */
function subjectFreezables(system: SystemUnderTest): Freezable[] {
  const containers = system.operators.containers();
  const inContainers = new Set(containers.map((c) => c.identity));
  return [
    ...containers.map((c) => frozenContainer(c.identity, c.handle.containerId)),
    ...system.operators.view
      .replicas()
      .filter((r) => r.running && r.pid !== undefined && !inContainers.has(r.identity))
      .map((r) => frozenProcess(r.identity, r.pid as number)),
  ];
}

/** Runs `work` with every freezable frozen, and thaws them whatever happens (a frozen process ignores SIGTERM). */
export async function whileFrozen<T>(frozen: Freezable[], work: () => Promise<T>): Promise<T> {
  const done: Freezable[] = [];
  try {
    for (const f of frozen) {
      await f.freeze();
      done.push(f);
    }
    return await work();
  } finally {
    await Promise.all(done.map((f) => f.thaw()));
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

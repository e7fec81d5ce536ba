/**
 * The capacity probe at both ends of the run: once the system is up and before anything is
 * measured, and again after the measurements stop, so neither the probe's requests nor its CPU
 * land in the run's figures. Both times and their ratio go into the metrics, where the
 * contamination judgement reads them. A probe that fails costs the run nothing but its figure.
 */
import { probeCapacity } from "../../measure/machine/capacity-probe.ts";
import { PROBE_END, PROBE_RATIO, PROBE_START } from "../../measure/machine/contamination.ts";
import type { Provisioned } from "./provision.ts";
import type { RunScope } from "./scope.ts";

export interface CapacityProbe {
  /** Probes again and records the end time and end/start ratio. */
  atEnd(): Promise<void>;
}

export async function probeAtStart(scope: RunScope, { kc }: Provisioned): Promise<CapacityProbe> {
  const run = async (at: "start" | "end"): Promise<number | undefined> => {
    try {
      return await probeCapacity(kc, scope.def.namespace);
    } catch (err) {
      scope.events.record("capacity-probe.failed", "harness", { at, error: (err as Error).message });
      scope.log(`capacity probe at the ${at} failed: ${(err as Error).message}`);
      return undefined;
    }
  };
  const start = await run("start");
  if (start !== undefined) scope.store.gauge(PROBE_START, round(start), "s");
  return {
    atEnd: async () => {
      if (scope.signal.aborted) return;
      const end = await run("end");
      if (end === undefined) return;
      scope.store.gauge(PROBE_END, round(end), "s");
      if (start !== undefined) scope.store.gauge(PROBE_RATIO, round(end / start), "ratio");
    },
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

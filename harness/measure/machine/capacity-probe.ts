/**
 * The capacity probe: a fixed piece of apiserver work the harness times at the start and at the end
 * of a run — ConfigMaps created, read and deleted in the run's namespace by a few concurrent
 * workers (at the end with the operator under test frozen: harness/run/stages/capacity-probe.ts). The same
 * work taking much longer (or shorter) at one end than at the other says the machine's capacity
 * changed under the run, whoever took it; the CPU accounting in machine-state.ts says who. ConfigMaps, because no operator watches them and the cost counts
 * leave them out, so the probe changes nothing the run measures.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { KubeRest } from "../../load/kube/rest.ts";

export interface ProbeShape {
  /** Concurrent workers: enough to keep both the apiserver and etcd busy on a small machine. */
  workers: number;
  /** Create → read → delete cycles per worker in one round. */
  cyclesPerWorker: number;
  /** Timed rounds, an odd number; the figure is their median, so one stray pause does not move it. */
  rounds: number;
}

/** Six rounds (one untimed) of 16 cycles: under a second on a quiet 2-core machine, so both ends cost a run 1–2 s. */
export const PROBE_SHAPE: ProbeShape = { workers: 4, cyclesPerWorker: 4, rounds: 5 };

const PROBE_PREFIX = "patronus-bench-probe";

/** Seconds one round of the probe's work took (median of its rounds). */
export async function probeCapacity(
  kc: KubeConfig,
  namespace: string,
  shape: ProbeShape = PROBE_SHAPE,
): Promise<number> {
  const rest = new KubeRest(kc, { connections: shape.workers, userAgent: PROBE_PREFIX });
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;
  const cycle = async (name: string) => {
    await rest.request("POST", path, {
      body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { probe: name } },
    });
    await rest.request("GET", `${path}/${name}`);
    await rest.request("DELETE", `${path}/${name}`);
  };
  const round = (label: string, cycles: number) =>
    Promise.all(
      Array.from({ length: shape.workers }, async (_, w) => {
        for (let i = 0; i < cycles; i++) await cycle(`${PROBE_PREFIX}-${label}-${w}-${i}`);
      }),
    );
  try {
    // Untimed: connections, TLS and the first calls' compilation are not the machine's capacity.
    await round("warmup", shape.cyclesPerWorker);
    const seconds: number[] = [];
    for (let r = 0; r < shape.rounds; r++) {
      const t0 = performance.now();
      await round(String(r), shape.cyclesPerWorker);
      seconds.push((performance.now() - t0) / 1000);
    }
    return median(seconds);
  } finally {
    await rest.close();
  }
}

/** The middle value (the rounds are odd in number). */
function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
}

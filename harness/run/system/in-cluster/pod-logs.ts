/**
 * The operator pods' logs, saved into the run directory before the run's namespace goes away, as
 * `operator-<pod>.log` (and `operator-<pod>.previous.log`, the container before its last restart):
 * the diagnosis reads them like a local operator's log files, so a run on a cluster says why its
 * operator failed as a local run does. A pod already deleted (killed by a fault) has no log left
 * to read; that is said, not fatal.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CoreV1Api } from "@kubernetes/client-node";

/** Only the end of a flooding operator's log is kept, as the diagnosis reads only the end. */
export const POD_LOG_LIMIT_BYTES = 32 * 2 ** 20;

export interface PodToSave {
  pod: string;
  /** Restarts of its containers: the previous container's log is saved too. */
  restarts: number;
}

export async function savePodLogs(
  core: CoreV1Api,
  namespace: string,
  pods: readonly PodToSave[],
  dir: string,
): Promise<{ saved: string[]; missing: string[] }> {
  const saved: string[] = [];
  const missing: string[] = [];
  for (const { pod, restarts } of pods) {
    for (const previous of restarts > 0 ? [true, false] : [false]) {
      const file = `operator-${pod}${previous ? ".previous" : ""}.log`;
      try {
        const text = await core.readNamespacedPodLog({
          name: pod,
          namespace,
          limitBytes: POD_LOG_LIMIT_BYTES,
          ...(previous ? { previous: true } : {}),
        });
        await writeFile(join(dir, file), text);
        saved.push(file);
      } catch {
        missing.push(file);
      }
    }
  }
  return { saved, missing };
}

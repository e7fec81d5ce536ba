/**
 * What the containers of a run ran under, for results.json. The limits are observed, not
 * assumed: as Docker applied them and as the process inside sees them (probed once, right after
 * start, while memory use is low), and the cgroup's own accounting at the end (peak memory, CPU
 * throttling), read from the host. It goes into `run.cluster.knobs.operatorRuntime` /
 * `meshRuntime` — a free-form part of schemaVersion 1, so every existing reader accepts it — and
 * the headline numbers become gauges, so thresholds can name them.
 */
import type { CgroupUsage } from "../../container/cgroup-usage.ts";
import type { ObservedLimits } from "../../container/limits.ts";
import type { MetricStore } from "../../measure/metrics/store.ts";
import type { MeshProcess } from "./mesh-process.ts";
import type { OperatorReplicas } from "./operators.ts";
import type { ContainerChoice, Runtimes } from "./runtime.ts";

export interface StartObservation {
  operator?: ObservedLimits | undefined;
  mesh?: ObservedLimits | undefined;
}

export async function observeAtStart(
  runtimes: Runtimes,
  operators: OperatorReplicas,
  mesh: MeshProcess,
): Promise<StartObservation> {
  const out: StartObservation = {};
  const first = operators.containers()[0];
  // A container that died already is the run's problem to report (crash restarts, coverage), not
  // a reason to abort it here: its limits are then recorded as null.
  if (runtimes.operator && first) out.operator = await first.handle.observedLimits().catch(() => undefined);
  if (runtimes.mesh && mesh.container)
    out.mesh = await mesh.container.observedLimits().catch(() => undefined);
  return out;
}

function describe(c: ContainerChoice, engine: string | undefined, observed: ObservedLimits | undefined) {
  return {
    runtime: "container",
    image: c.image,
    imageId: c.imageId,
    sourceDigest: c.sourceDigest,
    engine: engine ?? null,
    // The container shares the host's network namespace: the apiserver and simulator listen on
    // 127.0.0.1 only, and loopback is the only target load may have.
    network: "host",
    limits: c.limits ?? null,
    observed: observed ?? null,
  };
}

/**
 * Records the end-of-run facts: gauges into the store (call before its metrics are taken) and
 * the knobs to merge into results.run.cluster.knobs.
 */
export async function recordContainers(
  runtimes: Runtimes,
  start: StartObservation,
  operators: OperatorReplicas,
  store: MetricStore,
): Promise<Record<string, unknown>> {
  const knobs: Record<string, unknown> = {};
  if (runtimes.mesh) knobs.meshRuntime = describe(runtimes.mesh, runtimes.engineVersion, start.mesh);
  if (!runtimes.operator) return knobs;
  const replicas: Array<{ identity: string; live: boolean; cgroup: CgroupUsage | null }> = [];
  for (const { identity, handle } of operators.everyContainer())
    replicas.push({ identity, live: handle.running, cgroup: (await handle.usage()) ?? null });
  knobs.operatorRuntime = {
    ...describe(runtimes.operator, runtimes.engineVersion, start.operator),
    replicas,
  };
  const cgroup = start.operator?.cgroup;
  if (cgroup?.cpuCores) store.gauge("operator_cpu_limit_cores", cgroup.cpuCores, "cores");
  if (cgroup?.memoryBytes) store.gauge("operator_memory_limit_bytes", cgroup.memoryBytes, "bytes");
  recordCgroupGauges(
    replicas.flatMap((r) => (r.cgroup ? [r.cgroup] : [])),
    store,
  );
  return knobs;
}

/**
 * The operator's cgroup accounting over every replica of the run (a replaced one counts with its
 * last sample, taken every 2 s): peak memory, CPU throttling. For containers and for pods alike.
 */
export function recordCgroupGauges(usages: readonly CgroupUsage[], store: MetricStore): void {
  const peaks = usages.flatMap((u) => (u.memoryPeakBytes === null ? [] : [u.memoryPeakBytes]));
  if (peaks.length > 0) store.gauge("operator_memory_peak_bytes", Math.max(...peaks), "bytes");
  const throttled = usages.flatMap((u) => (u.cpuThrottledSeconds === null ? [] : [u.cpuThrottledSeconds]));
  if (throttled.length > 0)
    store.gauge(
      "operator_cpu_throttled_seconds",
      Math.round(throttled.reduce((a, b) => a + b, 0) * 1000) / 1000,
      "s",
    );
  const periods = usages.reduce((a, u) => a + (u.cpuPeriods ?? 0), 0);
  const hit = usages.reduce((a, u) => a + (u.cpuThrottledPeriods ?? 0), 0);
  if (periods > 0)
    store.gauge("operator_cpu_throttled_ratio", Math.round((hit / periods) * 1e4) / 1e4, "ratio");
}

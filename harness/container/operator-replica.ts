/**
 * The container runtime behind the orchestrator's operator-replica interface
 * (harness/run/system/operator-launch.ts: OperatorLaunch in, OperatorProcessHandle out), so a
 * scenario can choose `runtime: container` without the orchestrator knowing about Docker.
 * observedLimits() is the limit as Docker applied it and as the process sees it (one probe
 * process executed in the container: call it early, while memory use is low); usage() is the
 * cgroup's accounting read from the host, safe to call at any time.
 */

import { tuningArgs } from "../operators/builtin/reference/cli.ts";
import type { OperatorLaunch, OperatorProcessHandle } from "../run/system/operator-launch.ts";
import { type CgroupUsage, readCgroupUsage } from "./cgroup-usage.ts";
import { type ContainerLimits, type ObservedLimits, POD_LIKE_LIMITS } from "./limits.ts";
import { type OperatorContainer, startOperatorContainer } from "./operator-container.ts";

const USAGE_SAMPLE_MS = 2000;

export interface ContainerRuntimeOptions {
  image: string;
  limits?: ContainerLimits;
}

export interface OperatorRuntimeRecord {
  runtime: "container";
  image: string;
  limits: ContainerLimits;
  observed: ObservedLimits;
}

export interface OperatorContainerHandle extends OperatorProcessHandle {
  readonly containerId: string;
  readonly limits: ContainerLimits;
  observedLimits(): Promise<ObservedLimits>;
  /** The cgroup's figures now, or the last ones sampled before the container exited. */
  usage(): Promise<CgroupUsage | undefined>;
  record(): Promise<OperatorRuntimeRecord>;
}

export async function startOperatorContainerReplica(
  l: OperatorLaunch,
  o: ContainerRuntimeOptions,
): Promise<OperatorContainerHandle> {
  const limits = o.limits ?? POD_LIKE_LIMITS;
  const c = await startOperatorContainer({
    image: o.image,
    kubeconfig: l.kubeconfig,
    tokenFile: l.tokenFile,
    patronusUrl: l.patronusUrl,
    identity: l.identity,
    watchNamespace: l.watchNamespace,
    // As the process runtime: always elect, also with one replica.
    leaderElect: true,
    args: tuningArgs(l),
    limits,
    logDir: l.runDir,
  });
  return containerReplica(c, o.image, limits);
}

/** A started container as a replica handle: its cgroup sampled while it runs, its limits recorded. */
export function containerReplica(
  c: OperatorContainer,
  image: string,
  limits: ContainerLimits,
): OperatorContainerHandle {
  // The cgroup disappears with the container: sampled while it runs, so a replica that crashed or
  // was killed still reports its last figures (peak memory, throttling) at the end of the run.
  let last: CgroupUsage | undefined;
  const sample = async () => {
    const pid = c.pid;
    const now = pid === undefined ? undefined : await readCgroupUsage(pid);
    // A sample taken while the cgroup is torn down lacks fields: keep the last complete one.
    if (now && (last === undefined || (now.memoryPeakBytes !== null && now.cpuPeriods !== null))) last = now;
    return last;
  };
  const sampler = setInterval(() => void sample(), USAGE_SAMPLE_MS);
  sampler.unref();
  void c.exited.finally(() => clearInterval(sampler));
  return {
    containerId: c.id,
    limits,
    get pid() {
      return c.pid;
    },
    get running() {
      return c.running;
    },
    metricsUrl: c.metricsUrl,
    exited: c.exited,
    kill: (signal) => c.kill(signal),
    stop: () => c.stop(),
    observedLimits: () => c.observedLimits(),
    usage: () => (c.running ? sample() : Promise.resolve(last)),
    record: async () => ({
      runtime: "container",
      image,
      limits,
      observed: await c.observedLimits(),
    }),
  };
}

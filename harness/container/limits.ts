/**
 * The CPU and memory limits of a container as Docker recorded them and as the process inside sees
 * them (its cgroup: v1 cpu.cfs_quota_us/cfs_period_us and memory.limit_in_bytes, or v2 cpu.max and
 * memory.max). Both are read, not assumed: the results say what the operator actually ran under.
 */
import { readFile } from "node:fs/promises";
import { execa } from "execa";
import { parseQuantity } from "../deploy/quantity.ts";
import { HarnessError } from "../errors.ts";
import { readCgroupUsage } from "./cgroup-usage.ts";

export interface ContainerLimits {
  /** Kubernetes quantities, as in a pod spec: "500m", "256Mi". */
  cpu: string;
  memory: string;
}

/** A production operator pod's limits (harness/deploy OPERATOR_RESOURCES.limits). */
export const POD_LIKE_LIMITS: ContainerLimits = { cpu: "500m", memory: "256Mi" };

export interface ObservedLimits {
  docker: { nanoCpus: number; memoryBytes: number };
  cgroup: {
    version: "v1" | "v2";
    cpuCores: number | null;
    memoryBytes: number | null;
    /** Highest memory use of the container so far (v1 max_usage_in_bytes, v2 memory.peak). */
    memoryPeakBytes: number | null;
  };
  /** The kernel killed the container for exceeding its memory limit. */
  oomKilled: boolean;
  uid: number;
  /** "host": the cgroup files and /proc/<pid> read from the host (nothing runs in the container);
   * "exec": a probe process executed inside it (when the host's cgroup tree is not visible). */
  source: "host" | "exec";
}

export function dockerQuota(limits: ContainerLimits): { cpu: number; memoryGiB: number } {
  return { cpu: parseQuantity(limits.cpu), memoryGiB: parseQuantity(limits.memory) / 1024 ** 3 };
}

// Runs inside the container with its own node (the image has no shell).
const CGROUP_PROBE = `
const fs = require("node:fs");
const read = (p) => { try { return fs.readFileSync(p, "utf8").trim(); } catch { return null; } };
let out;
const max = read("/sys/fs/cgroup/cpu.max");
if (max !== null) {
  const [q, p] = max.split(" ");
  const mem = read("/sys/fs/cgroup/memory.max");
  const peak = read("/sys/fs/cgroup/memory.peak");
  out = { version: "v2", cpuCores: q === "max" ? null : Number(q) / Number(p), memoryBytes: mem === null || mem === "max" ? null : Number(mem), memoryPeakBytes: peak === null ? null : Number(peak) };
} else {
  const q = Number(read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") ?? -1);
  const p = Number(read("/sys/fs/cgroup/cpu/cpu.cfs_period_us") ?? 100000);
  const mem = read("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  const peak = read("/sys/fs/cgroup/memory/memory.max_usage_in_bytes");
  out = { version: "v1", cpuCores: q > 0 ? q / p : null, memoryBytes: mem === null ? null : Number(mem), memoryPeakBytes: peak === null ? null : Number(peak) };
}
console.log(JSON.stringify({ cgroup: out, uid: process.getuid() }));
`;

async function inspectLimits(containerId: string) {
  const inspect = await execa(
    "docker",
    ["inspect", "-f", "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.State.OOMKilled}}", containerId],
    { reject: false },
  );
  if (inspect.exitCode !== 0)
    throw new HarnessError(`docker inspect ${containerId} failed: ${inspect.stderr}`);
  const [nanoText, memoryText, oomText] = inspect.stdout.trim().split(" ");
  return {
    docker: { nanoCpus: Number(nanoText), memoryBytes: Number(memoryText) },
    oomKilled: oomText === "true",
  };
}

/**
 * The limits without disturbing the container: a probe executed inside would be charged to the
 * container's memory (a second Node process, tens of MiB, right into the peak being measured).
 * Falls back to the probe only when the host's view of the cgroup is not available.
 */
export async function observeLimitsFromHost(
  containerId: string,
  pid: number | undefined,
): Promise<ObservedLimits> {
  const cgroup = pid === undefined ? undefined : await readCgroupUsage(pid);
  const status = pid === undefined ? null : await readFile(`/proc/${pid}/status`, "utf8").catch(() => null);
  const uid = status ? Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) : Number.NaN;
  if (!cgroup || !Number.isInteger(uid)) return observeLimits(containerId);
  return {
    ...(await inspectLimits(containerId)),
    cgroup: {
      version: cgroup.version,
      cpuCores: cgroup.cpuLimitCores,
      memoryBytes: cgroup.memoryLimitBytes,
      memoryPeakBytes: cgroup.memoryPeakBytes,
    },
    uid,
    source: "host",
  };
}

/** The limits as the process inside sees them: a probe run with the image's own node. */
export async function observeLimits(containerId: string): Promise<ObservedLimits> {
  const limits = await inspectLimits(containerId);
  const probe = await execa("docker", ["exec", containerId, "/nodejs/bin/node", "-e", CGROUP_PROBE], {
    reject: false,
  });
  if (probe.exitCode !== 0)
    throw new HarnessError(`reading the cgroup inside ${containerId} failed: ${probe.stderr}`);
  const inside = JSON.parse(probe.stdout) as { cgroup: ObservedLimits["cgroup"]; uid: number };
  return { ...limits, cgroup: inside.cgroup, uid: inside.uid, source: "exec" };
}

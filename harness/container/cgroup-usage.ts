/**
 * A container's resource use as its cgroup accounts it, read from the host's cgroup filesystem
 * through the container's host PID (/proc/<pid>/cgroup), not by executing anything inside it: a
 * probe process in the container would itself count against the memory being measured. Covers
 * what /proc/<pid> cannot: the memory the kernel's OOM killer compares with the limit (RSS plus
 * page cache and kernel memory) and how long the CPU limit throttled the container.
 */
import { readFile } from "node:fs/promises";

export interface CgroupUsage {
  version: "v1" | "v2";
  memoryLimitBytes: number | null;
  memoryUsageBytes: number | null;
  /** Highest usage so far (v1 max_usage_in_bytes, v2 memory.peak). */
  memoryPeakBytes: number | null;
  cpuLimitCores: number | null;
  /** CFS periods in which the quota ran out, of all periods with runnable tasks. */
  cpuThrottledPeriods: number | null;
  cpuPeriods: number | null;
  cpuThrottledSeconds: number | null;
}

const ROOT = "/sys/fs/cgroup";

async function read(path: string): Promise<string | null> {
  try {
    return (await readFile(path, "utf8")).trim();
  } catch {
    return null;
  }
}

function num(text: string | null): number | null {
  if (text === null || text === "max") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function statField(stat: string | null, key: string): number | null {
  const m = stat ? new RegExp(`^${key} (\\d+)$`, "m").exec(stat) : null;
  return m ? Number(m[1]) : null;
}

/** undefined when the process is gone or its cgroup is not visible from here. */
export async function readCgroupUsage(pid: number): Promise<CgroupUsage | undefined> {
  const table = await read(`/proc/${pid}/cgroup`);
  if (!table) return undefined;
  const paths = new Map<string, string>();
  for (const line of table.split("\n")) {
    const [, controllers = "", path = ""] = line.split(":");
    for (const c of controllers.split(",")) paths.set(c, path);
  }
  const memory = paths.get("memory");
  const cpu = paths.get("cpu");
  if (memory !== undefined && cpu !== undefined) {
    const m = `${ROOT}/memory${memory}`;
    const c = `${ROOT}/cpu${cpu}`;
    const limit = num(await read(`${m}/memory.limit_in_bytes`));
    const usage = num(await read(`${m}/memory.usage_in_bytes`));
    // Both missing or one of them: the cgroup is gone or being torn down; a half-read is no sample.
    if (limit === null || usage === null) return undefined;
    const quota = num(await read(`${c}/cpu.cfs_quota_us`));
    const period = num(await read(`${c}/cpu.cfs_period_us`));
    const stat = await read(`${c}/cpu.stat`);
    const throttledNs = statField(stat, "throttled_time");
    return {
      version: "v1",
      // v1 reports "no limit" as a huge page-aligned number.
      memoryLimitBytes: limit >= 2 ** 62 ? null : limit,
      memoryUsageBytes: usage,
      memoryPeakBytes: num(await read(`${m}/memory.max_usage_in_bytes`)),
      cpuLimitCores: quota !== null && quota > 0 && period ? quota / period : null,
      cpuThrottledPeriods: statField(stat, "nr_throttled"),
      cpuPeriods: statField(stat, "nr_periods"),
      cpuThrottledSeconds: throttledNs === null ? null : throttledNs / 1e9,
    };
  }
  const unified = paths.get("");
  if (unified === undefined) return undefined;
  const dir = `${ROOT}${unified}`;
  const max = await read(`${dir}/cpu.max`);
  const current = num(await read(`${dir}/memory.current`));
  if (max === null || current === null) return undefined;
  const [q, p] = max.split(" ");
  const stat = await read(`${dir}/cpu.stat`);
  const throttledUs = statField(stat, "throttled_usec");
  return {
    version: "v2",
    memoryLimitBytes: num(await read(`${dir}/memory.max`)),
    memoryUsageBytes: current,
    memoryPeakBytes: num(await read(`${dir}/memory.peak`)),
    cpuLimitCores: q === "max" ? null : Number(q) / Number(p),
    cpuThrottledPeriods: statField(stat, "nr_throttled"),
    cpuPeriods: statField(stat, "nr_periods"),
    cpuThrottledSeconds: throttledUs === null ? null : throttledUs / 1e6,
  };
}

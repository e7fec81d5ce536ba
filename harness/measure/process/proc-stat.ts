/**
 * CPU and memory of a process from /proc (Linux): utime+stime from /proc/<pid>/stat in clock
 * ticks, VmRSS from /proc/<pid>/status. CPU is reported in cores (CPU seconds per wall second)
 * between two samples.
 */
import { readFile } from "node:fs/promises";

/** USER_HZ: 100 on every Linux platform Node supports. */
const TICKS_PER_SECOND = 100;

export interface ProcSample {
  /** performance.now() when read. */
  at: number;
  cpuSeconds: number;
  rssBytes: number;
}

export async function readProcSample(pid: number): Promise<ProcSample | undefined> {
  try {
    const [stat, status] = await Promise.all([
      readFile(`/proc/${pid}/stat`, "utf8"),
      readFile(`/proc/${pid}/status`, "utf8"),
    ]);
    // The command name (field 2) may contain spaces and parentheses: split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return {
      at: performance.now(),
      cpuSeconds: (utime + stime) / TICKS_PER_SECOND,
      rssBytes: rss ? Number(rss[1]) * 1024 : 0,
    };
  } catch {
    return undefined; // the process is gone (killed by a failover phase, or exited)
  }
}

export function coresBetween(a: ProcSample, b: ProcSample): number {
  const wall = (b.at - a.at) / 1000;
  return wall > 0 ? Math.max(0, (b.cpuSeconds - a.cpuSeconds) / wall) : 0;
}

/**
 * The whole machine's CPU time from /proc/stat's first line (Linux): busy time of every process
 * (user, nice, system, irq, softirq) and steal — time the hypervisor gave this VM's CPUs to
 * someone else, which no process here sees. Guest time is already inside user and nice.
 */
import { readFile } from "node:fs/promises";

/** USER_HZ: 100 on every Linux platform Node supports. */
const TICKS_PER_SECOND = 100;

export interface CpuTotals {
  busySeconds: number;
  /**
   * Every CPU's time of any kind (busy, idle, iowait, steal) over all CPUs: its change divided by
   * `cpus` is the elapsed time by the kernel's clock, the same clock as busySeconds. A wall clock
   * read apart from /proc/stat (after a slow walk over the measured processes) is not.
   */
  allSeconds: number;
  cpus: number;
  /** undefined where the kernel does not report steal (no 8th field). */
  stealSeconds: number | undefined;
}

export function parseCpuTotals(procStat: string): CpuTotals | undefined {
  const line = procStat.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) return undefined;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x))) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal] = f;
  const cpus = procStat.split("\n").filter((l) => /^cpu\d+\s/.test(l)).length;
  return {
    busySeconds: (user + nice + system + irq + softirq) / TICKS_PER_SECOND,
    allSeconds: (user + nice + system + idle + iowait + irq + softirq + (steal ?? 0)) / TICKS_PER_SECOND,
    cpus: Math.max(1, cpus),
    stealSeconds: steal === undefined ? undefined : steal / TICKS_PER_SECOND,
  };
}

export async function readCpuTotals(): Promise<CpuTotals | undefined> {
  try {
    return parseCpuTotals(await readFile("/proc/stat", "utf8"));
  } catch {
    return undefined; // not Linux
  }
}

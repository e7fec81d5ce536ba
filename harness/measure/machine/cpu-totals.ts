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
  /** undefined where the kernel does not report steal (no 8th field). */
  stealSeconds: number | undefined;
}

export function parseCpuTotals(procStat: string): CpuTotals | undefined {
  const line = procStat.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) return undefined;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 4 || f.some((x) => !Number.isFinite(x))) return undefined;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal] = f;
  return {
    busySeconds: (user + nice + system + irq + softirq) / TICKS_PER_SECOND,
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

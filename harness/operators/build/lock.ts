/**
 * One build per digest at a time across processes (two runs, or CI jobs sharing a cache): the
 * second waits for the first and then finds its result in the cache. A holder that died leaves
 * a lock that goes stale after `stale` ms (proper-lockfile refreshes it while the holder lives).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { lock } from "proper-lockfile";

export interface LockWaitOptions {
  log: (line: string) => void;
  /** What is being waited for, for the progress line. */
  what: string;
  stale?: number;
}

export async function withLock<T>(
  lockPath: string,
  options: LockWaitOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  let lastLog = -Infinity;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lock(lockPath, {
        realpath: false,
        lockfilePath: lockPath,
        stale: options.stale ?? 30_000,
        // A compromised lock (its directory removed under us) must not throw from a timer.
        onCompromised: () => undefined,
      });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ELOCKED") throw err;
      const now = performance.now();
      if (now - lastLog >= 10_000) {
        options.log(
          `waiting for another process building ${options.what} (${Math.round((now - started) / 1000)} s; lock ${lockPath})`,
        );
        lastLog = now;
      }
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

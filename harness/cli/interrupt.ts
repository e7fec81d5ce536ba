/**
 * Ctrl-C for the commands that run a scenario (run, profile): the first SIGINT/SIGTERM asks the
 * run to stop the careful way — end its phase, remove what it created on a cluster it does not
 * own while its operator still runs, stop its processes, write no results — and the second
 * stops everything at once (harness/process/supervisor.ts).
 */
import { onFirstSignal } from "../process/supervisor.ts";

export async function interruptible<T>(
  what: string,
  job: (interrupt: AbortSignal) => Promise<T>,
): Promise<T> {
  const interrupt = new AbortController();
  const release = onFirstSignal((signal) => {
    process.stderr.write(
      `\n${signal}: stopping the ${what} — ending its phase, removing what it created, stopping its processes (${signal === "SIGINT" ? "Ctrl-C" : signal} again to stop at once)\n`,
    );
    interrupt.abort(signal);
  });
  try {
    return await job(interrupt.signal);
  } finally {
    release();
  }
}

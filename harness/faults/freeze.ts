/**
 * Freezing a process or container and thawing it: the mechanism of the pause fault. A process
 * gets SIGSTOP and SIGCONT (timers, sockets, everything stops; the kernel still accepts its TCP
 * connections and buffers what peers send). A container is frozen through its cgroup freezer
 * (`docker pause`/`unpause`), which stops every process in it at once.
 */
import { execa } from "execa";
import { HarnessError } from "../errors.ts";

export interface Freezable {
  /** What is frozen, for the run's events ("operator-1-0 (pid 4242)"). */
  readonly label: string;
  /** How it is frozen and thawed, for the run's events. */
  readonly how: string;
  freeze(): Promise<void>;
  thaw(): Promise<void>;
}

export function frozenProcess(label: string, pid: number): Freezable {
  return {
    label: `${label} (pid ${pid})`,
    how: "SIGSTOP, then SIGCONT",
    freeze: async () => signalProcess(pid, "SIGSTOP", label),
    thaw: async () => {
      // The process may have been killed meanwhile (teardown, a crash restart): nothing to thaw.
      try {
        process.kill(pid, "SIGCONT");
      } catch {}
    },
  };
}

export function frozenContainer(label: string, id: string): Freezable {
  return {
    label: `${label} (container ${id.slice(0, 12)})`,
    how: "docker pause, then docker unpause",
    freeze: async () => {
      const r = await execa("docker", ["pause", id], { reject: false, timeout: 30_000 });
      if (r.exitCode !== 0)
        throw new HarnessError(`docker pause ${id.slice(0, 12)} (${label}) failed: ${r.stderr.trim()}`, {
          fix: "check that the container still runs and that this user may use docker",
        });
    },
    thaw: async () => {
      await execa("docker", ["unpause", id], { reject: false, timeout: 30_000 });
    },
  };
}

function signalProcess(pid: number, signal: NodeJS.Signals, label: string): void {
  try {
    process.kill(pid, signal);
  } catch (err) {
    throw new HarnessError(`cannot send ${signal} to ${label} (pid ${pid}): ${(err as Error).message}`, {
      fix: "the process must run on this machine under a user this harness may signal",
    });
  }
}

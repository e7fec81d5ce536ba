/**
 * The operator as its integration tests run it: a process started the way the harness starts a
 * replica, plus what a kubelet adds. `restartPolicy: "OnFailure"` starts it again when it exits
 * with an error, after 1 s, 2 s, 4 s … (at most 30 s): the operator exits 1 when it loses its
 * Lease, as controller-runtime does. A clean exit (SIGTERM → 0) or death by a signal is final.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../../harness/cluster/embedded/ports.ts";
import { HarnessError } from "../../../harness/errors.ts";
import { OPERATOR_ENV, operatorProcessArgs } from "../../../harness/operators/builtin/reference/cli.ts";
import type { ExitInfo, ManagedProcess, ProcessSet } from "../../../harness/process/supervisor.ts";

export interface OperatorProcessOptions {
  name: string;
  kubeconfig: string;
  patronusUrl: string;
  /** Written to `<runDir>/<name>.patronus-token` (mode 600). */
  patronusToken: string;
  runDir: string;
  namespace: string;
  leaderElect: boolean;
  args?: readonly string[];
  logLevel?: string;
  processes: ProcessSet;
  restartPolicy?: "Never" | "OnFailure";
}

export interface OperatorProcess {
  readonly name: string;
  /** The current process (a new one after each restart). */
  readonly process: ManagedProcess;
  readonly pid: number;
  /** Stable across restarts (the port is fixed at the first start). */
  readonly metricsUrl: string;
  readonly logFile: string;
  readonly exited: Promise<ExitInfo>;
  readonly restarts: number;
  stop(graceMs?: number): Promise<ExitInfo>;
  kill(signal?: NodeJS.Signals): void;
}

const RESTART_BASE_MS = 1000;
const RESTART_MAX_MS = 30_000;

export async function runOperator(o: OperatorProcessOptions): Promise<OperatorProcess> {
  const tokenFile = join(o.runDir, `${o.name}.patronus-token`);
  writeFileSync(tokenFile, o.patronusToken, { mode: 0o600 });
  const port = await freePort();
  const start = () =>
    startOperatorProcess(o.processes, {
      name: o.name,
      args: operatorProcessArgs({
        kubeconfig: o.kubeconfig,
        patronusUrl: o.patronusUrl,
        patronusTokenFile: tokenFile,
        namespace: o.namespace,
        metricsPort: port,
        leaderElect: o.leaderElect,
        identity: o.name,
        ...(o.logLevel ? { logLevel: o.logLevel } : {}),
        ...(o.args ? { extraArgs: o.args } : {}),
      }),
      env: OPERATOR_ENV,
      logFile: join(o.runDir, `${o.name}.log`),
      metricsUrl: `http://127.0.0.1:${port}/metrics`,
    });
  const first = await start();
  let current = first.process;
  let restarts = 0;
  let stopping = false;

  const supervise = (proc: ManagedProcess): void => {
    void proc.exited.then(async (exit) => {
      if (stopping || o.restartPolicy !== "OnFailure") return;
      if (exit.signal !== null || exit.code === 0) return;
      const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** Math.min(restarts, 10));
      await new Promise((r) => setTimeout(r, delay));
      if (stopping) return;
      restarts++;
      try {
        current = (await start()).process;
        supervise(current);
      } catch {
        // Died while starting: `current` is still the exited one, so this retries with a longer delay.
        supervise(current);
      }
    });
  };
  supervise(current);

  return {
    name: o.name,
    get process() {
      return current;
    },
    get pid() {
      return current.pid;
    },
    metricsUrl: first.metricsUrl,
    logFile: first.logFile,
    get exited() {
      return current.exited;
    },
    get restarts() {
      return restarts;
    },
    stop: (graceMs = 15_000) => {
      stopping = true;
      return current.stop(graceMs);
    },
    kill: (signal = "SIGTERM") => current.kill(signal),
  };
}

interface OperatorProcessStart {
  /** Names the process, its log file and its leader-election identity. */
  name: string;
  /** `node` arguments: V8 options, the entry script, its flags. */
  args: readonly string[];
  env?: Record<string, string | undefined>;
  logFile: string;
  /** Served once the operator is up; the start waits for it to answer. */
  metricsUrl: string;
  timeoutMs?: number;
}

interface StartedOperatorProcess {
  readonly process: ManagedProcess;
  readonly metricsUrl: string;
  readonly logFile: string;
}

const METRICS_POLL_MS = 100;

/**
 * Starts the operator process and waits until its metrics endpoint answers; stops it and throws,
 * quoting its last output, when it exits first or does not answer in time.
 */
async function startOperatorProcess(
  processes: ProcessSet,
  o: OperatorProcessStart,
): Promise<StartedOperatorProcess> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const proc = processes.start(o.name, process.execPath, o.args, { logFile: o.logFile, env: o.env });
  let exit: ExitInfo | undefined;
  void proc.exited.then((e) => {
    exit = e;
  });
  const deadline = performance.now() + timeoutMs;
  while (exit === undefined && performance.now() < deadline) {
    if (await answers(o.metricsUrl)) return { process: proc, metricsUrl: o.metricsUrl, logFile: o.logFile };
    await Promise.race([sleep(METRICS_POLL_MS), proc.exited]);
  }
  const why =
    exit === undefined
      ? `did not serve ${o.metricsUrl} within ${timeoutMs} ms`
      : `exited (code ${exit.code}, signal ${exit.signal})`;
  await proc.stop(2000);
  throw new HarnessError(`operator ${o.name} ${why}:\n${proc.outputTail()}`, { fix: `see ${o.logFile}` });
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

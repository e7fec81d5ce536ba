/**
 * Library entry for the harness: start the operator as a separate process (the way it runs in
 * production) and get its pid and metrics URL. Replicas for failover tests are just several calls.
 *
 * `restartPolicy: "OnFailure"` restarts the process when it exits with an error, with a growing
 * delay, as the kubelet restarts a failed container. The operator exits 1 when it loses its
 * lease (as controller-runtime does), e.g. when kube-apiserver is down for longer than the renew
 * deadline; without a restart the run would simply have no operator any more. A clean exit
 * (SIGTERM → 0, e.g. ProcessSet.stopAll) or death by a signal (a test's SIGKILL) is final.
 */
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HarnessError } from "../harness/errors.ts";
import { type ExitInfo, type ManagedProcess, ProcessSet } from "../harness/process/supervisor.ts";

export const OPERATOR_MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

import { OPERATOR_ENV, OPERATOR_NODE_OPTIONS } from "./config/node-runtime.ts";

export { OPERATOR_ENV, OPERATOR_NODE_OPTIONS };

export interface OperatorProcessOptions {
  kubeconfig: string;
  patronusUrl: string;
  /** Written to `<runDir>/<name>.patronus-token` (mode 600) unless patronusTokenFile is given. */
  patronusToken?: string;
  patronusTokenFile?: string;
  runDir: string;
  /** Names the log file and the leader-election identity. */
  name?: string;
  namespace?: string;
  leaderElect?: boolean;
  /** Extra flags, e.g. ["--concurrency", "8", "--leader-elect-lease-duration", "4s"]. */
  args?: readonly string[];
  env?: Record<string, string | undefined>;
  logLevel?: string;
  /** Start through this set (stopped with it); a private set otherwise. */
  processes?: ProcessSet;
  startTimeoutMs?: number;
  /** "Never" (default): an exit is final. "OnFailure": restart a non-zero exit after 1 s, 2 s, 4 s … (max 30 s). */
  restartPolicy?: "Never" | "OnFailure";
}

export interface OperatorProcess {
  readonly name: string;
  /** The current process (a new one after each restart). */
  readonly pid: number;
  readonly process: ManagedProcess;
  /** Stable across restarts (the port is fixed at first start). */
  readonly metricsUrl: string;
  readonly logFile: string;
  /** Exit of the current process. */
  readonly exited: Promise<ExitInfo>;
  readonly restarts: number;
  stop(graceMs?: number): Promise<ExitInfo>;
  kill(signal?: NodeJS.Signals): void;
}

const RESTART_BASE_MS = 1000;
const RESTART_MAX_MS = 30_000;

export async function startOperatorProcess(o: OperatorProcessOptions): Promise<OperatorProcess> {
  const name = o.name ?? "operator";
  let tokenFile = o.patronusTokenFile;
  if (!tokenFile) {
    if (!o.patronusToken)
      throw new HarnessError("startOperatorProcess needs patronusToken or patronusTokenFile");
    tokenFile = join(o.runDir, `${name}.patronus-token`);
    writeFileSync(tokenFile, o.patronusToken, { mode: 0o600 });
  }
  const logFile = join(o.runDir, `${name}.log`);
  const port = await freeLoopbackPort();
  const args = [
    ...OPERATOR_NODE_OPTIONS,
    OPERATOR_MAIN,
    "--kubeconfig",
    o.kubeconfig,
    "--patronus-url",
    o.patronusUrl,
    "--patronus-token-file",
    tokenFile,
    "--namespace",
    o.namespace ?? "default",
    "--metrics-port",
    String(port),
    "--leader-elect",
    String(o.leaderElect ?? false),
    "--identity",
    name,
    "--log-level",
    o.logLevel ?? "info",
    ...(o.args ?? []),
  ];
  const set = o.processes ?? new ProcessSet();
  const timeoutMs = o.startTimeoutMs ?? 30_000;

  const env = { ...OPERATOR_ENV, ...o.env };
  let current = await launch(set, name, args, logFile, env, timeoutMs);
  let restarts = 0;
  let stopping = false;
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;

  const supervise = (proc: ManagedProcess): void => {
    void proc.exited.then(async (exit) => {
      if (stopping || o.restartPolicy !== "OnFailure") return;
      if (exit.signal !== null || exit.code === 0) return;
      const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** Math.min(restarts, 10));
      await new Promise((r) => setTimeout(r, delay));
      if (stopping) return;
      restarts++;
      try {
        current = await launch(set, name, args, logFile, env, timeoutMs);
        supervise(current);
      } catch {
        // The new process died while starting. `current` is still the exited one, so supervising
        // it again retries at once through this path, with the next (longer) delay.
        supervise(current);
      }
    });
  };
  supervise(current);

  return {
    name,
    get pid() {
      return current.pid;
    },
    get process() {
      return current;
    },
    metricsUrl,
    logFile,
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

/** Starts one process and waits until it serves metrics; stops it and throws if it cannot. */
async function launch(
  set: ProcessSet,
  name: string,
  args: string[],
  logFile: string,
  env: Record<string, string | undefined> | undefined,
  timeoutMs: number,
): Promise<ManagedProcess> {
  let resolveUp: () => void = () => {};
  const up = new Promise<void>((resolve) => (resolveUp = resolve));
  let buffered = "";
  const proc = set.start(name, process.execPath, args, {
    logFile,
    env,
    onOutput: (chunk) => {
      buffered += chunk;
      if (buffered.includes('"msg":"metrics server listening"')) {
        resolveUp();
        buffered = "";
      } else if (buffered.length > 64_000) buffered = buffered.slice(-8000);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    up.then(() => "up" as const),
    proc.exited.then((e) => e),
    new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === "up") return proc;
  const why =
    outcome === "timeout"
      ? `did not serve metrics within ${timeoutMs} ms`
      : `exited (code ${outcome.code}, signal ${outcome.signal})`;
  await proc.stop(2000);
  throw new HarnessError(`operator ${name} ${why}:\n${proc.outputTail()}`, { fix: `see ${logFile}` });
}

/** A free loopback port, so the metrics URL stays the same across restarts. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * One operator replica as a process, started from its definition's `start`: the command,
 * arguments and environment with the harness's placeholders filled for this replica (its
 * kubeconfig, its Patronus API URL, its ports, identity and index), its output in the run
 * directory, started once its health endpoint — or, where the definition names none, its
 * /metrics — answers. Any operator starts this way, the reference one included.
 */
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../cluster/embedded/ports.ts";
import { HarnessError } from "../../errors.ts";
import { artifactValues } from "../../operators/crds.ts";
import type { LoadedOperator, Placeholder } from "../../operators/definition.ts";
import { OPERATOR_NAMESPACE } from "../../operators/install/index.ts";
import { fillPlaceholders } from "../../operators/placeholders.ts";
import { answersOnce as answers } from "../../process/readiness.ts";
import type { ExitInfo, ProcessSet } from "../../process/supervisor.ts";

export interface ReplicaStart {
  operator: LoadedOperator;
  /** The scenario's `operator` settings, for definitions whose arguments follow them. */
  settings: Record<string, unknown>;
  identity: string;
  index: number;
  /** A kubeconfig authenticating as the operator's ServiceAccount (or this replica's link to it). */
  kubeconfig: string;
  /** The simulator's Patronus API base URL for this replica. */
  patronusUrl: string;
  token: string;
  tokenFile: string;
  /** The namespace the run's objects live in. */
  namespace: string;
  runDir: string;
  timeoutMs?: number;
}

export interface ReplicaProcess {
  readonly exited: Promise<ExitInfo>;
  readonly pid: number | undefined;
  readonly running: boolean;
  readonly metricsUrl: string;
  readonly logFile: string;
  kill(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/** The command line and environment of one replica, every placeholder filled. */
export function replicaCommand(
  start: LoadedOperator["definition"]["start"],
  settings: Record<string, unknown>,
  values: Partial<Record<Placeholder, string>>,
): { argv: string[]; env: Record<string, string> } {
  const args = typeof start.args === "function" ? start.args(settings) : start.args;
  const fill = (s: string) => fillPlaceholders(s, values);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(start.env)) env[k] = fill(v);
  return { argv: [...start.command, ...args].map(fill), env };
}

/** The placeholder values of one replica; `inside` overrides the paths a container sees. */
export function replicaValues(
  r: ReplicaStart,
  ports: { metricsPort: number; healthPort: number },
  inside?: { kubeconfig: string; tokenFile: string },
): Partial<Record<Placeholder, string>> {
  return {
    // Host paths (the artifact, this checkout) mean nothing inside a container.
    ...(inside ? {} : artifactValues(r.operator)),
    kubeconfig: inside?.kubeconfig ?? r.kubeconfig,
    namespace: r.namespace,
    operatorNamespace: OPERATOR_NAMESPACE,
    patronusUrl: r.patronusUrl,
    patronusToken: r.token,
    patronusTokenFile: inside?.tokenFile ?? r.tokenFile,
    metricsPort: String(ports.metricsPort),
    healthPort: String(ports.healthPort),
    identity: r.identity,
    replica: String(r.index),
    runDir: r.runDir,
  };
}

/** Where the harness waits for a replica to count as started: its health endpoint, else its /metrics. */
export function readinessUrl(
  def: LoadedOperator["definition"],
  ports: { metricsPort: number; healthPort: number },
): string {
  return def.health
    ? `http://127.0.0.1:${def.health.port === "health" ? ports.healthPort : ports.metricsPort}${def.health.path}`
    : `http://127.0.0.1:${ports.metricsPort}/metrics`;
}

export async function startReplicaProcess(r: ReplicaStart, processes: ProcessSet): Promise<ReplicaProcess> {
  const def = r.operator.definition;
  const ports = { metricsPort: await freePort(), healthPort: await freePort() };
  const { metricsPort } = ports;
  const values = replicaValues(r, ports);
  const { argv, env } = replicaCommand(def.start, r.settings, values);
  const [file, ...args] = argv as [string, ...string[]];
  const logFile = join(r.runDir, `${r.identity}.log`);
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const readyUrl = readinessUrl(def, ports);
  const proc = processes.start(r.identity, file, args, { logFile, env });
  let exit: ExitInfo | undefined;
  void proc.exited.then((e) => {
    exit = e;
  });
  const timeoutMs = r.timeoutMs ?? 30_000;
  const deadline = performance.now() + timeoutMs;
  let ready = false;
  while (exit === undefined && !ready && performance.now() < deadline) {
    ready = await answers(readyUrl);
    if (!ready) await Promise.race([sleep(100), proc.exited]);
  }
  if (!ready || exit !== undefined) {
    const why =
      exit === undefined
        ? `did not answer ${readyUrl} within ${timeoutMs / 1000} s`
        : `exited during start-up (code ${exit.code}, signal ${exit.signal})`;
    await proc.stop(2000);
    throw new HarnessError(`operator ${def.name} replica ${r.identity} ${why}:\n${proc.outputTail()}`, {
      fix: `see ${logFile}`,
    });
  }
  return {
    exited: proc.exited,
    get pid() {
      return proc.running ? proc.pid : undefined;
    },
    get running() {
      return proc.running;
    },
    metricsUrl,
    logFile,
    kill: (signal) => proc.kill(signal),
    stop: async () => {
      await proc.stop(15_000);
    },
  };
}

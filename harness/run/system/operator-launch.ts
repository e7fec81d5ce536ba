/**
 * Starts one operator replica: the reference operator as a child process of the harness
 * (`node operator/main.ts --flag …` through the ProcessSet, logging to the run directory), or
 * through harness/container/ for the container runtime. The one place that turns a scenario's
 * operator settings into a running replica; what the reference operator's command line looks
 * like is harness/operators/builtin/reference/cli.ts.
 */

import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../cluster/embedded/ports.ts";
import type { OperatorContainerHandle } from "../../container/operator-replica.ts";
import { HarnessError } from "../../errors.ts";
import { OPERATOR_ENV, operatorProcessArgs, tuningArgs } from "../../operators/builtin/reference/cli.ts";
import type { ExitInfo, ManagedProcess, ProcessSet } from "../../process/supervisor.ts";
import type { ContainerChoice } from "./runtime.ts";

export interface OperatorLaunch {
  kubeconfig: string;
  identity: string;
  watchNamespace: string;
  patronusUrl: string;
  tokenFile: string;
  runDir: string;
  leaderElection: { leaseDuration: number; renewDeadline: number; retryPeriod: number };
  concurrency: number;
  pathConcurrency?: number;
  qps: number;
  burst: number;
  workqueueQps: number;
  workqueueBurst: number;
  extraArgs: string[];
}

export interface OperatorProcessHandle {
  /** oomKilled: the container runtime's kernel OOM kill (absent for a process). */
  readonly exited: Promise<{ code: number | null; signal: string | null; oomKilled?: boolean }>;
  readonly pid: number | undefined;
  readonly running: boolean;
  readonly metricsUrl: string;
  kill(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export async function startOperatorReplica(
  l: OperatorLaunch,
  processes: ProcessSet,
  container?: ContainerChoice,
): Promise<OperatorProcessHandle | OperatorContainerHandle> {
  if (container) {
    // Loaded on use: testcontainers is only needed by container runs.
    const { startOperatorContainerReplica } = await import("../../container/operator-replica.ts");
    return startOperatorContainerReplica(l, {
      image: container.image,
      ...(container.limits ? { limits: container.limits } : {}),
    });
  }
  const metricsPort = await freePort();
  const proc = await startOperatorProcess(processes, {
    name: l.identity,
    args: operatorProcessArgs({
      kubeconfig: l.kubeconfig,
      patronusUrl: l.patronusUrl,
      patronusTokenFile: l.tokenFile,
      namespace: l.watchNamespace,
      metricsPort,
      // Always elect, also with one replica: the failover scenarios and the Lease view need it.
      leaderElect: true,
      identity: l.identity,
      extraArgs: tuningArgs(l),
    }),
    env: OPERATOR_ENV,
    logFile: join(l.runDir, `${l.identity}.log`),
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
  });
  return {
    exited: proc.process.exited,
    get pid() {
      return proc.process.running ? proc.process.pid : undefined;
    },
    get running() {
      return proc.process.running;
    },
    metricsUrl: proc.metricsUrl,
    kill: (signal) => proc.process.kill(signal),
    stop: async () => {
      await proc.process.stop(15_000);
    },
  };
}

export interface OperatorProcessStart {
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

export interface StartedOperatorProcess {
  readonly process: ManagedProcess;
  readonly metricsUrl: string;
  readonly logFile: string;
}

const METRICS_POLL_MS = 100;

/**
 * Starts an operator process and waits until its metrics endpoint answers; stops it and throws,
 * quoting its last output, when it exits first or does not answer in time.
 */
export async function startOperatorProcess(
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

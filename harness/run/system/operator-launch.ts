/**
 * Adapter to the operator's launchers — startOperatorProcess in operator/index.ts (operator
 * area) for the process runtime, harness/container/ for the container runtime: the one place
 * that knows how the harness turns a scenario's operator settings into flags and a replica.
 */
import { startOperatorProcess } from "../../../operator/index.ts";
import type { OperatorContainerHandle } from "../../container/operator-replica.ts";
import type { ProcessSet } from "../../process/supervisor.ts";
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

/** The operator's tuning flags: what a scenario's `operator` section sets, wherever it runs. */
export type OperatorTuning = Pick<
  OperatorLaunch,
  | "leaderElection"
  | "concurrency"
  | "pathConcurrency"
  | "qps"
  | "burst"
  | "workqueueQps"
  | "workqueueBurst"
  | "extraArgs"
>;

export function operatorArgs(l: OperatorTuning): string[] {
  return [
    "--leader-elect-lease-duration",
    `${l.leaderElection.leaseDuration}ms`,
    "--leader-elect-renew-deadline",
    `${l.leaderElection.renewDeadline}ms`,
    "--leader-elect-retry-period",
    `${l.leaderElection.retryPeriod}ms`,
    "--concurrency",
    String(l.concurrency),
    ...(l.pathConcurrency ? ["--path-concurrency", String(l.pathConcurrency)] : []),
    "--qps",
    String(l.qps),
    "--burst",
    String(l.burst),
    "--workqueue-qps",
    String(l.workqueueQps),
    "--workqueue-burst",
    String(l.workqueueBurst),
    ...l.extraArgs,
  ];
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
  const op = await startOperatorProcess({
    kubeconfig: l.kubeconfig,
    patronusUrl: l.patronusUrl,
    patronusTokenFile: l.tokenFile,
    runDir: l.runDir,
    name: l.identity,
    namespace: l.watchNamespace,
    // Always elect, also with one replica: the failover scenarios and the Lease view need it.
    leaderElect: true,
    args: operatorArgs(l),
    processes,
  });
  return {
    exited: op.exited,
    get pid() {
      return op.process.running ? op.pid : undefined;
    },
    get running() {
      return op.process.running;
    },
    metricsUrl: op.metricsUrl,
    kill: (signal) => op.kill(signal),
    stop: async () => {
      await op.stop();
    },
  };
}

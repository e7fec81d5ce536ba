/**
 * What a replica of the reference operator in a container is started with (harness/container/
 * operator-replica.ts), and the handle every replica start returns, process or container. Replicas
 * as processes start from their operator definition (defined-replica.ts).
 */
import type { OperatorTuning } from "../../operators/builtin/reference/cli.ts";

export interface OperatorLaunch extends OperatorTuning {
  kubeconfig: string;
  identity: string;
  watchNamespace: string;
  patronusUrl: string;
  tokenFile: string;
  runDir: string;
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

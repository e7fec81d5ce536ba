/**
 * Everything a phase can use while a run is in progress: the measurement context (store, events,
 * ledger, cluster access, views of the operator and mesh), the load driver's operation context,
 * the live CR-latency tracker that wait-for phases consult, and the controls that inject faults.
 */
import type { ClusterHandle } from "../cluster/index.ts";
import type { OperationContext } from "../load/operations.ts";
import type { CrLatencyMeasurement } from "../measure/cr-latency/cr-latency.ts";
import type { MeasurementContext } from "../measure/measurement.ts";
import type { PathStatusMeasurement } from "../measure/path-status/path-status.ts";
import type { Injection } from "../scenario/phases.ts";

export interface InjectionOutcome {
  /** Seconds the effect took to be confirmed (e.g. failover convergence), when measured. */
  measuredMs?: number;
}

/** Carries out an injection and measures its effect; implemented in ./control. */
export interface SystemControl {
  inject(injection: Injection, ctx: RunContext): Promise<InjectionOutcome>;
}

export interface Progress {
  phase(name: string, kind: string): void;
  /** Load-driver figures for the current second. */
  rate(target: number, achieved: number): void;
  log(line: string): void;
}

export interface RunContext extends MeasurementContext, OperationContext {
  cluster: ClusterHandle;
  crLatency: CrLatencyMeasurement;
  paths: PathStatusMeasurement;
  control: SystemControl;
  /** The simulated Patronus API (base URL of the simulator and its bearer token). */
  patronus: { url: string; token: string };
  progress: Progress;
  signal: AbortSignal;
  /** performance.now() when the latest phase that changes objects (create/churn/load/inject) began. */
  timeline: { actionStartedAt: number };
}

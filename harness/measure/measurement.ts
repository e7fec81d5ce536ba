/**
 * The common shape of a measurement (clusterloader2's model): a named unit that starts before the
 * phases, stops after them, and contributes metrics to the run's store. Measurements do not know
 * about each other; the orchestrator starts the ones a scenario does not disable.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import type { KubeObjects } from "../load/kube/client.ts";
import type { ObjectLedger } from "../load/objects/ledger.ts";
import type { OperatorDefinition } from "../operators/definition.ts";
import type { ScenarioDefinition } from "../scenario/schema.ts";
import type { RunEventLog } from "./events/run-events.ts";
import type { ScrapeFeed } from "./metrics/scrape-feed.ts";
import type { MetricStore } from "./metrics/store.ts";
import type { MeshView, OperatorView } from "./targets.ts";

export interface MeasurementContext {
  definition: ScenarioDefinition;
  namespace: string;
  store: MetricStore;
  events: RunEventLog;
  ledger: ObjectLedger;
  kc: KubeConfig;
  objects: KubeObjects;
  operator: OperatorView;
  mesh: MeshView;
  /** The operator under test's kinds: resources, templates and the predicates that judge them. */
  kinds: OperatorDefinition["kinds"];
  /** The metric names the operator under test declares (its definition's `metrics`). */
  operatorMetrics?: readonly string[];
  /** Where raw scrapes of the operator go for the sinks that forward them. */
  scrapes?: ScrapeFeed;
  /** The control plane's own endpoints and processes, where the cluster provider exposes them. */
  controlPlane: { etcdMetricsUrl?: string; pids(): Record<string, number> };
}

export interface Coverage {
  expected: number;
  observed: number;
}

export interface Measurement {
  readonly name: string;
  start(ctx: MeasurementContext): Promise<void>;
  /** Stops sampling/watching and writes final metrics into ctx.store. */
  stop(ctx: MeasurementContext): Promise<void>;
  /** Figures for a cost-curve checkpoint (e.g. current RSS), when the measurement has any. */
  checkpoint?(): Record<string, number>;
  /** Objects this measurement had to account for, when it accounts for objects. */
  coverage?(): Coverage;
  /** A short live figure for the progress line (e.g. "ready 480/500 p99 310ms"). */
  progress?(): string | undefined;
}

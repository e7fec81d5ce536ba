/**
 * Assembles results.json from a finished run: metadata, metrics, thresholds (the scenario's plus
 * the implicit ones every run must meet: full coverage, no wait-for timeout), phases, events,
 * checkpoints, coverage and the verdict.
 */
import type { ClusterHandle } from "../cluster/index.ts";
import type { RunEventLog } from "../measure/events/run-events.ts";
import { judgeContamination, thresholdStatus } from "../measure/machine/contamination.ts";
import type { Coverage } from "../measure/measurement.ts";
import type { MetricMap } from "../measure/metrics/types.ts";
import { type Checkpoint, type Results, type RunOperator, SCHEMA_VERSION } from "../results/schema.ts";
import { type ScenarioDefinition, thresholdSpecs } from "../scenario/schema.ts";
import { evaluateThresholds, type ThresholdResult } from "../scenario/threshold/evaluate.ts";
import { gitState, harnessVersion, machine } from "./metadata.ts";
import { verdictOf } from "./not-applicable.ts";
import type { PhaseRecord } from "./phases/index.ts";

export interface FinishedRun {
  id: string;
  definition: ScenarioDefinition;
  startedAt: Date;
  finishedAt: Date;
  repeat?: { index: number; of: number };
  cluster: ClusterHandle;
  operator: RunOperator;
  metrics: MetricMap;
  phases: PhaseRecord[];
  events: RunEventLog;
  checkpoints: Checkpoint[];
  coverage: Coverage;
}

export const IMPLICIT_THRESHOLDS = [
  { metric: "coverage_ratio", expression: "value==1", abortOnFail: false },
  { metric: "wait_timeouts", expression: "count==0", abortOnFail: false },
];

export function allThresholdResults(
  def: ScenarioDefinition,
  metrics: MetricMap,
  seconds: number,
): ThresholdResult[] {
  return evaluateThresholds([...thresholdSpecs(def), ...IMPLICIT_THRESHOLDS], metrics, seconds);
}

export async function buildResults(run: FinishedRun): Promise<Results> {
  const durationSeconds = Math.round((run.finishedAt.getTime() - run.startedAt.getTime()) / 10) / 100;
  const metrics: MetricMap = { ...run.metrics };
  metrics.coverage_ratio = {
    type: "gauge",
    unit: "ratio",
    value:
      run.coverage.expected === 0
        ? 1
        : Math.round((run.coverage.observed / run.coverage.expected) * 1e4) / 1e4,
  };
  metrics.run_duration_seconds = { type: "gauge", unit: "s", value: durationSeconds };
  if (!metrics.wait_timeouts) metrics.wait_timeouts = { type: "counter", unit: "count", value: 0 };
  // Other work on the machine makes timings inconclusive; counts and correctness still judge.
  // Judged only where every process of the run is one the run measures: a kind node's kubelet,
  // containerd and system pods would read as "other work".
  const contamination =
    run.cluster.capabilities.everyProcessMeasured &&
    run.definition.operator.runtime === "process" &&
    run.definition.mesh.runtime !== "container"
      ? judgeContamination(metrics, machine().cores, durationSeconds)
      : undefined;
  const thresholds = allThresholdResults(run.definition, metrics, durationSeconds).map(
    ({ metric, expression, value, passed, abortOnFail }) => ({
      metric,
      expression,
      value,
      passed,
      status: thresholdStatus(metric, passed, contamination?.contaminated === true),
      abortOnFail,
    }),
  );
  const meta = run.cluster.metadata as { etcdFsyncDisabled?: unknown; knobs?: unknown };
  return {
    schemaVersion: SCHEMA_VERSION,
    run: {
      id: run.id,
      scenario: run.definition.name,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt.toISOString(),
      durationSeconds,
      ...(run.repeat ? { repeat: run.repeat } : {}),
      git: await gitState(),
      versions: {
        node: process.version,
        kubernetes: run.cluster.versions.kubernetes,
        etcd: run.cluster.versions.etcd,
        operator: run.operator.version,
        harness: harnessVersion(),
      },
      machine: machine(),
      operator: run.operator,
      cluster: {
        provider: run.cluster.provider,
        knobs: {
          ...run.definition.cluster.knobs,
          ...(typeof meta.knobs === "object" && meta.knobs ? meta.knobs : {}),
        },
        ...(typeof meta.etcdFsyncDisabled === "boolean" ? { etcdFsyncDisabled: meta.etcdFsyncDisabled } : {}),
      },
      seed: run.definition.mesh.seed,
      definition: JSON.parse(JSON.stringify(run.definition)) as Record<string, unknown>,
    },
    verdict: verdictOf(thresholds),
    ...(contamination ? { contamination } : {}),
    metrics,
    thresholds,
    phases: run.phases,
    events: run.events.all(),
    checkpoints: run.checkpoints,
    coverage: run.coverage,
  };
}

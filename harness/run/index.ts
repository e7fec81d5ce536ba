/**
 * `patronus-bench run`: loads the scenario, runs it (N repeats into repeat-<i>/ with a merged
 * results.json), renders the report when the report module is present, prints the summary, and
 * turns a failed verdict into ThresholdFailure (exit 99).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { clusterCapabilities } from "../cluster/capabilities.ts";
import { HarnessError, Inconclusive, ThresholdFailure } from "../errors.ts";
import { DEFAULT_OPERATOR } from "../operators/builtin/index.ts";
import type { LoadedOperator } from "../operators/definition.ts";
import { loadOperatorDefinition, resolveOperator } from "../operators/load.ts";
import {
  type Outputs,
  openOutputs,
  renderSinkReports,
  type SinkReport,
  type SinkSpec,
  sinkMetrics,
} from "../outputs/index.ts";
import type { LiveView } from "../outputs/live/view.ts";
import { mergeRepeats } from "../results/repeats.ts";
import type { Results } from "../results/schema.ts";
import { writeResults } from "../results/write.ts";
import { loadScenario } from "../scenario/load.ts";
import type { ScenarioDefinition } from "../scenario/schema.ts";
import { declaredMetricNames } from "../scenario/threshold/metric-names.ts";
import { gitState } from "./metadata.ts";
import { runOnce } from "./orchestrator.ts";
import { defaultOutDir, linkLatest, prepareOutDir, timestamp } from "./output-dir.ts";
import { ConsoleProgress } from "./progress.ts";
import { operatorUnderTest, planFor } from "./subject.ts";
import { renderSummary } from "./summary.ts";

export interface RunCommandOptions {
  set?: string[];
  sites?: number;
  cluster?: "embedded" | "kind" | "kubeconfig";
  kubeconfig?: string;
  repeat?: number;
  out?: string;
  /** `--out` sinks (json=, csv=, prometheus-rw=), checked already. */
  sinks?: SinkSpec[];
  /**
   * Sinks a caller opened for several runs (ab): followed with this run's labels, closed by the
   * caller (and not counted in this run's results.json). Takes the place of `sinks`.
   */
  outputs?: Outputs;
  /** Labels this run's series carry beside scenario, git_commit, operator and cluster_provider. */
  outputLabels?: Record<string, string>;
  /** `--dashboard`: the live view following the run; told the results and the report at the end. */
  live?: LiveView;
  /** Skip rendering index.html/summary.md/junit.xml. */
  noReport?: boolean;
  /** kind/kubeconfig: leave the cluster, the run's objects and in-cluster workloads in place. */
  keep?: boolean;
  /** The operator under test: a built-in name or a definition file (default: reference). */
  operator?: string;
  /** The source directory an operator with a build is built from. */
  operatorSource?: string;
  /** Already resolved (and built); takes precedence over `operator`/`operatorSource`. */
  resolvedOperator?: LoadedOperator;
  signal?: AbortSignal;
  /** The user's Ctrl-C: the run cleans up and throws Interrupted (see RunOnceOptions). */
  interrupt?: AbortSignal;
  log?: NodeJS.WriteStream;
}

export interface RunOutcome {
  dir: string;
  results: Results;
  /** Per `--out` sink: what it sent and dropped. */
  sinks: SinkReport[];
}

export async function runScenarioCommand(ref: string, options: RunCommandOptions = {}): Promise<RunOutcome> {
  const set = [...(options.set ?? [])];
  if (options.cluster) set.push(`cluster.provider=${options.cluster}`);
  if (options.kubeconfig) set.push(`cluster.kubeconfig=${options.kubeconfig}`);
  if (options.repeat !== undefined) set.push(`repeats=${options.repeat}`);
  // The operator's own metric names are valid threshold metrics; its definition loads without a build.
  const operatorDefinition = (
    options.resolvedOperator ?? (await loadOperatorDefinition(options.operator ?? DEFAULT_OPERATOR))
  ).definition;
  const { definition } = await loadScenario(
    ref,
    { set, ...(options.sites === undefined ? {} : { sites: options.sites }) },
    { extraMetrics: declaredMetricNames(operatorDefinition.metrics) },
  );
  if (options.keep && !clusterCapabilities(definition.cluster.provider).outlivesRun)
    throw new HarnessError(
      "--keep leaves a kind or kubeconfig cluster in place; the embedded control plane stops with the run",
      {
        fix: "drop --keep, or run with --cluster kind",
      },
    );
  // Before anything starts: a wrong definition, a scenario the operator cannot run (before its
  // build) or a failed build ends the command here.
  if (!options.resolvedOperator)
    planFor(definition, (await loadOperatorDefinition(options.operator ?? DEFAULT_OPERATOR)).definition);
  const resolvedOperator =
    options.resolvedOperator ??
    (await resolveOperator(options.operator ?? DEFAULT_OPERATOR, {
      ...(options.operatorSource ? { source: options.operatorSource } : {}),
      log: (line) => (options.log ?? process.stderr).write(`${line}\n`),
    }));
  const outcome = await runDefinition(definition, { ...options, resolvedOperator });
  (options.log ?? process.stdout).write(
    renderSummary(outcome.results, outcome.dir) +
      renderSinkReports(outcome.sinks) +
      (options.live?.reportLine() ?? ""),
  );
  if (outcome.results.verdict === "fail") {
    const failed = outcome.results.thresholds
      .filter((t) => t.status === "fail")
      .map((t) => `${t.metric} ${t.expression}`);
    throw new ThresholdFailure(
      `${failed.length} threshold(s) failed: ${failed.join(", ")} — see ${outcome.dir}`,
    );
  }
  if (outcome.results.verdict === "inconclusive") {
    const undecided = outcome.results.thresholds
      .filter((t) => t.status === "inconclusive")
      .map((t) => `${t.metric} ${t.expression}`);
    const why = outcome.results.contamination?.reasons.join("; ");
    throw new Inconclusive(
      `${undecided.length} threshold(s) inconclusive${why ? ` (${why})` : ""}: ${undecided.join(", ")} — see ${outcome.dir}`,
    );
  }
  return outcome;
}

export async function runDefinition(
  def: ScenarioDefinition,
  options: RunCommandOptions = {},
): Promise<RunOutcome> {
  // Refused before anything starts (no output directory either) when the operator lacks what
  // the scenario cannot do without.
  planFor(def, operatorUnderTest(options.resolvedOperator));
  const defaultLayout = options.out === undefined;
  const dir = await prepareOutDir(options.out ?? defaultOutDir(def.name));
  const progress = new ConsoleProgress(options.log ?? process.stderr);
  const id = `${def.name}-${timestamp()}`;
  const labels = { ...(await runLabels(def, options)), ...options.outputLabels };
  const shared = options.outputs;
  const outputs =
    shared ??
    (options.sinks?.length || options.live
      ? await openOutputs(options.sinks ?? [], labels, options.live)
      : undefined);
  let results: Results;
  try {
    results = await runRepeats(def, { ...options, outputLabels: labels }, { dir, id, progress, outputs });
  } catch (err) {
    if (!shared) await outputs?.close();
    throw err;
  }
  const sinks = shared ? [] : await closeOutputs(outputs);
  if (outputs && !shared) {
    // What the sinks sent and dropped is known once they are closed: results.json gets it then.
    Object.assign(results.metrics, sinkMetrics(sinks));
    await writeResults(dir, results);
  }
  if (defaultLayout) await linkLatest(dir);
  if (!options.noReport) await renderReportIfAvailable(dir, progress);
  const report = join(dir, "index.html");
  options.live?.finish(
    { verdict: results.verdict, dir, ...(!options.noReport && existsSync(report) ? { report } : {}) },
    results,
  );
  return { dir, results, sinks };
}

async function runRepeats(
  def: ScenarioDefinition,
  options: RunCommandOptions,
  {
    dir,
    id,
    progress,
    outputs,
  }: { dir: string; id: string; progress: ConsoleProgress; outputs: Outputs | undefined },
): Promise<Results> {
  let results: Results;
  if (def.repeats === 1) {
    results = await runOnce(def, {
      dir,
      id,
      progress,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.interrupt ? { interrupt: options.interrupt } : {}),
      ...(options.keep ? { keep: true } : {}),
      ...(options.resolvedOperator ? { operator: options.resolvedOperator } : {}),
      ...(outputs ? { outputs } : {}),
      ...(options.outputLabels ? { outputLabels: options.outputLabels } : {}),
    });
  } else {
    const all: Results[] = [];
    for (let i = 1; i <= def.repeats; i++) {
      progress.log(`repeat ${i} of ${def.repeats}`);
      const repeatDir = await prepareOutDir(join(dir, `repeat-${i}`));
      all.push(
        await runOnce(def, {
          dir: repeatDir,
          id: `${id}-repeat-${i}`,
          repeat: { index: i, of: def.repeats },
          progress: new ConsoleProgress(options.log ?? process.stderr),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.interrupt ? { interrupt: options.interrupt } : {}),
          ...(options.keep ? { keep: true } : {}),
          ...(options.resolvedOperator ? { operator: options.resolvedOperator } : {}),
          ...(outputs ? { outputs } : {}),
          ...(options.outputLabels ? { outputLabels: options.outputLabels } : {}),
        }),
      );
    }
    results = mergeRepeats(all);
    if (!outputs) await writeResults(dir, results);
  }
  return results;
}

export async function runLabels(
  def: ScenarioDefinition,
  options: RunCommandOptions,
): Promise<Record<string, string>> {
  return {
    scenario: def.name,
    git_commit: (await gitState()).commit,
    operator: options.resolvedOperator?.definition.name ?? DEFAULT_OPERATOR,
    cluster_provider: def.cluster.provider,
  };
}

async function closeOutputs(outputs: Outputs | undefined): Promise<SinkReport[]> {
  return outputs ? outputs.close() : [];
}

/** The report renderer is another area's module; a run still succeeds without it. */
async function renderReportIfAvailable(dir: string, progress: ConsoleProgress): Promise<void> {
  const module = resolve(import.meta.dirname, "..", "report", "index.ts");
  if (!existsSync(module)) return;
  try {
    const report = (await import(module)) as { renderReport?: (dir: string) => Promise<unknown> };
    await report.renderReport?.(dir);
  } catch (err) {
    progress.log(`report rendering failed (results.json is complete): ${(err as Error).message}`);
  }
}

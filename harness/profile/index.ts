/**
 * `patronus-bench profile`: one run of a scenario with the operator leader profiled over a
 * window of phases (never start-up). The run's own results.json gains a `profile` section
 * (hot paths for the report's chart, module groups, artifacts), the artifacts sit next to it,
 * and the report is rendered after that, so it shows the profile.
 */
import { join } from "node:path";
import { HarnessError, Interrupted } from "../errors.ts";
import { DEFAULT_OPERATOR } from "../operators/builtin/index.ts";
import { loadOperatorDefinition, resolveOperator } from "../operators/load.ts";
import { openOutputs, type SinkReport, type SinkSpec, sinkMetrics } from "../outputs/index.ts";
import { loadResults } from "../results/load.ts";
import type { Results } from "../results/schema.ts";
import { writeResults } from "../results/write.ts";
import { runLabels } from "../run/index.ts";
import { runOnce } from "../run/orchestrator.ts";
import { defaultOutDir, linkLatest, prepareOutDir, timestamp } from "../run/output-dir.ts";
import { ConsoleProgress } from "../run/progress.ts";
import { planFor } from "../run/subject.ts";
import { loadScenario } from "../scenario/load.ts";
import { declaredMetricNames } from "../scenario/threshold/metric-names.ts";
import { INSPECT_PORT_OPTION } from "./inspector/attach.ts";
import { type ProfileOptionsInput, parseProfileOptions } from "./options.ts";
import { profilingTarget } from "./target/profilable.ts";
import { CpuProfilerTool } from "./tools/cpu.ts";
import { DoctorTool } from "./tools/doctor.ts";
import { HeapProfilerTool } from "./tools/heap.ts";
import type { ProfilerTool, ToolName } from "./tools/tool.ts";
import { resolveWindow, WindowProfiler } from "./window.ts";

export interface ProfileRunOptions extends ProfileOptionsInput {
  log?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  signal?: AbortSignal;
  /** The user's Ctrl-C: the run ends its phase, cleans up and throws Interrupted, writing nothing. */
  interrupt?: AbortSignal;
  /** Skip rendering the report (tests). */
  noReport?: boolean;
  /** `--out` sinks, as `run` takes them; the run's series carry `profile_tool`. */
  sinks?: SinkSpec[];
}

export interface ProfileOutcome {
  dir: string;
  results: Results;
  artifacts: string[];
  lines: string[];
  /** Per `--out` sink: what it sent and dropped. */
  sinks: SinkReport[];
}

export function createTool(name: ToolName, top: number): ProfilerTool {
  switch (name) {
    case "cpu":
    case "flame":
      return new CpuProfilerTool(name, top);
    case "heap":
      return new HeapProfilerTool(top);
    case "doctor":
      return new DoctorTool();
  }
}

/** The processes of the run inherit this; --inspect-port alone opens nothing until SIGUSR1. */
function withInspectPort<T>(fn: () => Promise<T>): Promise<T> {
  const before = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = [before, INSPECT_PORT_OPTION].filter(Boolean).join(" ");
  return fn().finally(() => {
    if (before === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = before;
  });
}

export async function profileScenario(ref: string, input: ProfileRunOptions = {}): Promise<ProfileOutcome> {
  const { log, signal, interrupt, noReport, sinks: sinkSpecs, ...rest } = input;
  const o = parseProfileOptions(rest);
  const operatorRef = o.operator ?? DEFAULT_OPERATOR;
  const operatorDefinition = (await loadOperatorDefinition(operatorRef)).definition;
  const { definition: loaded } = await loadScenario(
    ref,
    { set: o.set, ...(o.sites === undefined ? {} : { sites: o.sites }) },
    { extraMetrics: declaredMetricNames(operatorDefinition.metrics) },
  );
  if (loaded.operator.runtime === "cluster")
    throw new HarnessError(
      "profile opens the inspector of an operator process on this machine's loopback; an in-cluster pod's is in its own network namespace",
      { fix: 'profile with operator.runtime "process" (the default), or drop --runtime cluster' },
    );
  // One run: a profile of a merged repeat would mean nothing.
  const def = { ...loaded, repeats: 1 };
  const spec = resolveWindow(def, o.window);
  const tool = createTool(o.tool, o.top);
  // Before anything starts or builds: a scenario the operator cannot run, an operator the tool
  // cannot reach.
  planFor(def, operatorDefinition);
  const leaderMetric = profilingTarget(operatorDefinition, tool, def.operator.replicas);
  const operator = await resolveOperator(operatorRef, {
    ...(o.operatorSource ? { source: o.operatorSource } : {}),
    log: (line) => (log ?? process.stderr).write(`${line}\n`),
  });
  const dir = await prepareOutDir(o.out ?? defaultOutDir(`${def.name}-profile-${o.tool}`));
  const out = (log ?? process.stderr) as NodeJS.WriteStream;
  const progress = new ConsoleProgress(out);
  const profiler = new WindowProfiler(tool, spec, dir, leaderMetric);
  let results: Results;
  signal?.addEventListener("abort", () => profiler.abort.abort(), { once: true });
  const outputs = sinkSpecs?.length
    ? await openOutputs(sinkSpecs, {
        ...(await runLabels(def, { resolvedOperator: operator })),
        profile_tool: o.tool,
      })
    : undefined;
  let sinks: SinkReport[] = [];
  try {
    await withInspectPort(() =>
      runOnce(def, {
        dir,
        id: `${def.name}-profile-${timestamp()}`,
        progress,
        phaseHooks: profiler,
        operator,
        signal: profiler.abort.signal,
        ...(interrupt ? { interrupt } : {}),
        ...(outputs ? { outputs } : {}),
      }),
    );
  } catch (err) {
    // Ctrl-C mid-window: the phase ended, so the profile of the window so far was taken. It is
    // the user's to open; the run's results, which would look complete, are not written.
    const partial = profiler.outcome?.result.artifacts ?? [];
    if (err instanceof Interrupted && partial.length > 0)
      progress.log(
        `the profile of the window until the interrupt: ${partial.map((a) => join(dir, a)).join(", ")}`,
      );
    throw err;
  } finally {
    await profiler.close();
    if (outputs) sinks = await outputs.close();
  }
  if (profiler.failure) throw profiler.failure;
  const outcome = profiler.outcome;
  if (!outcome) {
    const last = profiler.phasesSeen.at(-1);
    throw new HarnessError(
      profiler.opened
        ? `the profiling window ${spec.from}..${spec.to} never closed: the run stopped after phase ${last}`
        : `the profiling window never opened: phase "${spec.from}" did not run (the run stopped after ${last ? `phase ${last}` : "no phase"})`,
      { fix: `see ${join(dir, "results.json")} (complete, without a profile)` },
    );
  }
  results = await loadResults(join(dir, "results.json"));
  results = {
    ...results,
    profile: {
      ...(results.profile ?? {}),
      tool: o.tool,
      window: { from: spec.from, to: spec.to, startedAt: outcome.startedAt, finishedAt: outcome.finishedAt },
      target: outcome.target,
      artifacts: outcome.result.artifacts,
      ...outcome.result.profile,
      ...(outcome.result.hotPaths ? { hotPaths: outcome.result.hotPaths } : {}),
    },
    metrics: { ...results.metrics, ...sinkMetrics(sinks) },
  };
  await writeResults(dir, results);
  if (o.out === undefined) await linkLatest(dir);
  if (!noReport) await renderReport(dir, progress);
  return { dir, results, artifacts: outcome.result.artifacts, lines: outcome.result.lines, sinks };
}

async function renderReport(dir: string, progress: ConsoleProgress): Promise<void> {
  try {
    const { renderReport } = await import("../report/index.ts");
    await renderReport(dir);
  } catch (err) {
    progress.log(`report rendering failed (results.json is complete): ${(err as Error).message}`);
  }
}

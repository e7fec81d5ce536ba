/**
 * `ab`: base and head run alternately on the same cluster provider and machine (A B B A …), each
 * run a normal run written to DIR/base/repeat-<k> and DIR/head/repeat-<k>; then the paired
 * analysis, printed and written to DIR/ab.json and DIR/ab.md.
 */
import { join } from "node:path";
import { HarnessError } from "../errors.ts";
import type { LoadedOperator } from "../operators/definition.ts";
import { loadOperatorDefinition, resolveOperator } from "../operators/load.ts";
import { openOutputs, renderSinkReports, type SinkSpec } from "../outputs/index.ts";
import type { Results } from "../results/schema.ts";
import { writeFileAtomic } from "../results/write.ts";
import { runDefinition } from "../run/index.ts";
import { defaultOutDir, prepareOutDir } from "../run/output-dir.ts";
import { planFor } from "../run/subject.ts";
import { formatDuration } from "../scenario/duration.ts";
import { loadScenario } from "../scenario/load.ts";
import type { ScenarioDefinition } from "../scenario/schema.ts";
import { declaredMetricNames } from "../scenario/threshold/metric-names.ts";
import { type AbAnalysis, type AbAnalysisOptions, analyzeAb } from "./analyze.ts";
import { formatAbMarkdown, formatAbTable } from "./format.ts";
import { referenceAtRevision } from "./git-ref.ts";
import { runOrder } from "./paired.ts";

export const AB_SCHEMA_VERSION = 1;
export const MAX_PAIRS = 50;

export interface AbSideSpec {
  /** An operator (built-in name or definition file) or `git:<rev>`. */
  ref: string;
  /** The source directory an operator with a build is built from. */
  source?: string;
}

export interface AbCommandOptions {
  base: AbSideSpec;
  head: AbSideSpec;
  pairs: number;
  out?: string;
  /** `--out` sinks, as `run` takes them: every run of both sides, labelled with its side. */
  sinks?: SinkSpec[];
  set?: string[];
  cluster?: "embedded" | "kind" | "kubeconfig";
  kubeconfig?: string;
  noReport?: boolean;
  analysis?: Partial<AbAnalysisOptions>;
  interrupt?: AbortSignal;
  log?: NodeJS.WriteStream;
}

export interface AbOutcome {
  dir: string;
  analysis: AbAnalysis;
}

interface Side {
  name: "base" | "head";
  label: string;
  operator: LoadedOperator;
  definition: ScenarioDefinition;
}

async function prepareSide(
  name: "base" | "head",
  spec: AbSideSpec,
  scenario: string,
  set: string[],
  log: (line: string) => void,
): Promise<Side> {
  const isGit = spec.ref.startsWith("git:");
  if (isGit && spec.source)
    throw new HarnessError(`--${name}-source applies to an operator built from source, not to ${spec.ref}`, {
      fix: `drop --${name}-source: a git: ref runs this repository's reference operator at that revision`,
    });
  const definitionOnly = isGit
    ? (await loadOperatorDefinition("reference")).definition
    : (await loadOperatorDefinition(spec.ref)).definition;
  const { definition } = await loadScenario(
    scenario,
    { set },
    { extraMetrics: declaredMetricNames(definitionOnly.metrics) },
  );
  // The project image holds this checkout's operator, not the revision's: in a container or a pod
  // both sides would run the same code.
  const runtime = definition.operator.runtime;
  if (isGit && runtime !== "process")
    throw new HarnessError(
      `${name} (${spec.ref}): a git: ref runs the revision's reference operator as a process, not with operator.runtime=${runtime} (the image holds this checkout's operator)`,
      {
        fix: "drop --set operator.runtime (the cluster provider can stay: kind and kubeconfig clusters work)",
      },
    );
  // Refused before anything builds or starts, naming the side.
  try {
    planFor(definition, definitionOnly);
  } catch (err) {
    if (err instanceof HarnessError)
      throw new HarnessError(`${name} (${spec.ref}): ${err.message}`, err.fix ? { fix: err.fix } : {});
    throw err;
  }
  const operator = isGit
    ? await referenceAtRevision(spec.ref.slice(4), log)
    : await resolveOperator(spec.ref, { ...(spec.source ? { source: spec.source } : {}), log });
  const label = spec.source ? `${spec.ref} (${spec.source})` : spec.ref;
  return { name, label, operator, definition };
}

export async function runAb(scenario: string, options: AbCommandOptions): Promise<AbOutcome> {
  if (options.pairs > MAX_PAIRS)
    throw new HarnessError(`--pairs ${options.pairs} is more than ${MAX_PAIRS}`, {
      fix: `use at most ${MAX_PAIRS} pairs; 5–10 decide most figures`,
    });
  const logStream = options.log ?? process.stderr;
  const log = (line: string) => logStream.write(`${line}\n`);
  const set = [...(options.set ?? [])];
  if (options.cluster) set.push(`cluster.provider=${options.cluster}`);
  if (options.kubeconfig) set.push(`cluster.kubeconfig=${options.kubeconfig}`);
  // Each run is one run: the pairs are the repeats.
  set.push("repeats=1");
  const base = await prepareSide("base", options.base, scenario, set, log);
  const head = await prepareSide("head", options.head, scenario, set, log);
  const dir = await prepareOutDir(options.out ?? defaultOutDir(`ab-${base.definition.name}`));
  const runs: Record<"base" | "head", Results[]> = { base: [], head: [] };
  const order = runOrder(options.pairs);
  // One set of sinks for the whole comparison; each run's series carry its own labels.
  const outputs = options.sinks?.length ? await openOutputs(options.sinks, {}) : undefined;
  const started = Date.now();
  try {
    for (const [i, step] of order.entries()) {
      const side = step.side === "base" ? base : head;
      log(
        `ab: run ${i + 1} of ${order.length} — pair ${step.pair}, ${side.name} (${side.label})${timeLeft(i, order.length, Date.now() - started)}`,
      );
      const outcome = await runDefinition(side.definition, {
        out: join(dir, side.name, `repeat-${step.pair}`),
        resolvedOperator: side.operator,
        ...(options.noReport ? { noReport: true } : {}),
        ...(options.interrupt ? { interrupt: options.interrupt } : {}),
        ...(outputs ? { outputs, outputLabels: { ab_side: side.name, ab_pair: String(step.pair) } } : {}),
        log: logStream,
      });
      runs[side.name][step.pair - 1] = outcome.results;
      // After every whole pair, what an interrupted or crashed A/B leaves is answerable
      // (`ab-analyze`), and says it is partial; the finished ab.json replaces it.
      if (i % 2 === 1) await writePartial(dir, base.definition.name, options, order.slice(0, i + 1));
    }
  } finally {
    if (outputs) process.stdout.write(renderSinkReports(await outputs.close()));
  }
  const analysis = analyzeAb(
    runs.base,
    runs.head,
    { base: `base ${base.label}`, head: `head ${head.label}`, scenario: base.definition.name },
    options.analysis,
  );
  const notes = runNotes(runs);
  await writeFileAtomic(
    join(dir, "ab.json"),
    `${JSON.stringify(
      {
        abSchemaVersion: AB_SCHEMA_VERSION,
        scenario: base.definition.name,
        order: order.map((s) => `${s.side}/repeat-${s.pair}`),
        base: {
          ...sideRef(options.base),
          runIds: runs.base.map((r) => r.run.id),
          operator: runs.base[0]?.run.operator,
        },
        head: {
          ...sideRef(options.head),
          runIds: runs.head.map((r) => r.run.id),
          operator: runs.head[0]?.run.operator,
        },
        notes,
        ...analysis,
      },
      null,
      2,
    )}\n`,
  );
  await writeFileAtomic(join(dir, "ab.md"), formatAbMarkdown(analysis, notes));
  process.stdout.write(formatAbTable(analysis, notes));
  process.stdout.write(
    `ab: runs in ${dir}/{base,head}/repeat-<k>, the answer in ${join(dir, "ab.json")} and ab.md\n`,
  );
  return { dir, analysis };
}

/** A side as ab.json names it, whole or partial: its ref and the source it was built from. */
function sideRef(s: AbSideSpec): { ref: string; source?: string } {
  return { ref: s.ref, ...(s.source ? { source: s.source } : {}) };
}

async function writePartial(
  dir: string,
  scenario: string,
  options: AbCommandOptions,
  done: ReadonlyArray<{ side: "base" | "head"; pair: number }>,
): Promise<void> {
  await writeFileAtomic(
    join(dir, "ab.json"),
    `${JSON.stringify(
      {
        abSchemaVersion: AB_SCHEMA_VERSION,
        scenario,
        order: done.map((s) => `${s.side}/repeat-${s.pair}`),
        base: sideRef(options.base),
        head: sideRef(options.head),
        partial: { pairs: done.length / 2, of: options.pairs },
      },
      null,
      2,
    )}\n`,
  );
}

/** A long A/B's end, from the runs so far (they all run the same scenario): none before the first ends. */
export function timeLeft(done: number, total: number, elapsedMs: number): string {
  if (done === 0) return "";
  return `, about ${formatDuration((elapsedMs / done) * (total - done))} left`;
}

/** What the reader must know beside the figures: runs whose own thresholds failed, machine contamination. */
function runNotes(runs: Record<"base" | "head", Results[]>): string[] {
  const notes: string[] = [];
  for (const side of ["base", "head"] as const) {
    const failed = runs[side].filter((r) => r.verdict === "fail").length;
    if (failed) notes.push(`${side}: ${failed} of ${runs[side].length} run(s) failed their own thresholds`);
    const contaminated = runs[side].filter((r) => r.contamination?.contaminated).length;
    if (contaminated)
      notes.push(
        `${side}: ${contaminated} of ${runs[side].length} run(s) contaminated by other work on the machine`,
      );
  }
  return notes;
}

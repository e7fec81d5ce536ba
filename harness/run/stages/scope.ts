/**
 * What every stage of one run shares: the scenario, the operator under test and the options, the run's clock, metric store and
 * event log, the processes it starts, the signal that ends its phases, and its teardown.
 */
import { RunEventLog } from "../../measure/events/run-events.ts";
import { ScrapeFeed } from "../../measure/metrics/scrape-feed.ts";
import { MetricStore } from "../../measure/metrics/store.ts";
import type { LoadedOperator } from "../../operators/definition.ts";
import { ProcessSet } from "../../process/supervisor.ts";
import type { ScenarioDefinition } from "../../scenario/schema.ts";
import type { RunPlan } from "../../scenario/subjects.ts";
import type { RunOnceOptions } from "../options.ts";
import { Teardown } from "./teardown.ts";

export interface RunScope {
  def: ScenarioDefinition;
  options: RunOnceOptions;
  /** The operator under test (options.operator, else the reference operator). */
  operator: LoadedOperator;
  /** What applies of the scenario to this operator: phases, measurements, thresholds. */
  plan: RunPlan;
  log: (line: string) => void;
  startedAt: Date;
  /** performance.now() at the start: every time in the store and events is relative to it. */
  origin: number;
  store: MetricStore;
  events: RunEventLog;
  /** The operator's /metrics as scraped, for the sinks that forward them. */
  scrapes: ScrapeFeed;
  processes: ProcessSet;
  /** Aborted by the run's signal or interrupt: the current phase ends, no further one starts. */
  signal: AbortSignal;
  teardown: Teardown;
}

export function openScope(
  def: ScenarioDefinition,
  options: RunOnceOptions,
  operator: LoadedOperator,
  plan: RunPlan,
): RunScope {
  const origin = performance.now();
  const abort = new AbortController();
  options.signal?.addEventListener("abort", () => abort.abort(), { once: true });
  options.interrupt?.addEventListener("abort", () => abort.abort(), { once: true });
  const log = (line: string) => options.progress.log(line);
  return {
    def,
    options,
    operator,
    plan,
    log,
    startedAt: new Date(),
    origin,
    store: new MetricStore(origin),
    events: new RunEventLog(origin),
    scrapes: new ScrapeFeed(),
    processes: new ProcessSet(),
    signal: abort.signal,
    teardown: new Teardown(log),
  };
}

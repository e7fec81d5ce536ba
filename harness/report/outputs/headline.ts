/**
 * The answer first: a scenario's key figures in one sentence, before any table — e.g. "1000 / 1000
 * Sites Ready in 6.8 s, 3850 Paths reporting in 27.3 s, operator peak 159.0 MiB, nothing lost".
 * Built from what the run recorded: its wait-for convergence times, the figures its thresholds
 * judge, the operator's peak memory and the correctness counts.
 */
import { metricTitle } from "../../results/metric-catalog.ts";
import type { Results } from "../../results/schema.ts";
import { formatObserved, formatValue } from "./figures.ts";

interface WaitPhase {
  kind: string;
  name?: string;
  condition?: string;
  object?: string;
}
interface CreatePhase {
  kind: string;
  object?: string;
  count?: number;
}

const seconds = (s: number) => `${s.toFixed(1)} s`;

function gauge(results: Results, name: string): number | undefined {
  const m = results.metrics[name];
  return m?.type === "gauge" || m?.type === "counter" ? m.value : undefined;
}

function seriesMax(results: Results, name: string): number | undefined {
  const m = results.metrics[name];
  if (m?.type !== "series" || m.points.length === 0) return undefined;
  return Math.max(...m.points.map((p) => p[1]));
}

/**
 * The convergence time of the first wait-for of a condition and object, when it settles the
 * initial creates: a wait after a load or churn phase is measured from that phase's start, which
 * is no bring-up time.
 */
function firstWait(results: Results, condition: string, object: string): number | undefined {
  const phases = (results.run.definition.phases ?? []) as WaitPhase[];
  const firstLoad = phases.findIndex((p) => p.kind === "load" || p.kind === "churn");
  const at = phases.findIndex(
    (p) => p.kind === "wait-for" && p.condition === condition && (p.object ?? "site") === object,
  );
  const wait = phases[at];
  if (!wait || (firstLoad !== -1 && at > firstLoad)) return undefined;
  return gauge(results, `convergence_seconds{wait="${wait.name ?? wait.condition}"}`);
}

function sitesPart(results: Results): string | undefined {
  const ready = results.metrics.site_ready_latency;
  if (ready?.type !== "distribution") return undefined;
  const phases = (results.run.definition.phases ?? []) as CreatePhase[];
  const firstLoad = phases.findIndex((p) => p.kind === "load" || p.kind === "churn");
  const requested = phases
    .slice(0, firstLoad === -1 ? undefined : firstLoad)
    .filter((p) => p.kind === "create" && (p.object ?? "site") === "site")
    .reduce((s, p) => s + (p.count ?? 0), 0);
  const time = firstWait(results, "ready", "site");
  // With later loads, the distribution also counts their creates: name the populate's size only.
  const count =
    firstLoad === -1 && requested > 0
      ? `${ready.count} / ${requested}`
      : time !== undefined && requested > 0
        ? String(requested)
        : String(ready.count);
  return `${count} Sites Ready${time === undefined ? "" : ` in ${seconds(time)}`}`;
}

function lastAtOrBefore(results: Results, name: string, t: number): number | undefined {
  const m = results.metrics[name];
  if (m?.type !== "series") return undefined;
  return m.points.filter((p) => p[0] <= t).at(-1)?.[1];
}

function pathsPart(results: Results): string | undefined {
  const time = firstWait(results, "paths", "path");
  const expected = results.metrics.paths_expected;
  const n = expected?.type === "series" ? expected.points.at(-1)?.[1] : undefined;
  if (time !== undefined) return `${n === undefined ? "" : `${n} `}Paths reporting in ${seconds(time)}`;
  // A wait that timed out records no convergence time: say how far it got.
  const phases = (results.run.definition.phases ?? []) as WaitPhase[];
  const wait = phases.find((p) => p.kind === "wait-for" && p.condition === "paths");
  const record = wait && results.phases.find((p) => p.name === (wait.name ?? wait.condition));
  const end = typeof record?.finishedAt === "number" ? record.finishedAt : undefined;
  if (end === undefined) return undefined;
  const reporting = lastAtOrBefore(results, "paths_reporting", end);
  const of = lastAtOrBefore(results, "paths_expected", end);
  return reporting === undefined || of === undefined
    ? undefined
    : `${reporting} / ${of} Paths reporting when the wait for them ended`;
}

/** `p(99)<=1000` → "p99"; `max<=…` → "max"; `avg>=…` → "mean". */
function statOf(expression: string): string {
  const m = /^\s*(p\((\d+(?:\.\d+)?)\)|max|min|avg|count|value|rate)/.exec(expression);
  if (!m) return "";
  if (m[2]) return `p${m[2]}`;
  return m[1] === "avg" ? "mean" : m[1] === "value" || m[1] === "count" ? "" : (m[1] ?? "");
}

/** The figures the scenario's own thresholds judge (latencies, failover, rates), once each. */
function judgedParts(results: Results, shown: Set<string>): string[] {
  const parts: string[] = [];
  for (const t of results.thresholds) {
    const base = t.metric.replace(/\{.*$/, "");
    if (shown.has(t.metric) || t.value === null) continue;
    if (
      [
        "lost_updates",
        "coverage_ratio",
        "wait_timeouts",
        "run_duration_seconds",
        "operator_rss_bytes",
      ].includes(base)
    )
      continue;
    if (base === "convergence_seconds" || (base === "site_ready_latency" && !t.metric.includes("{")))
      continue;
    const m = results.metrics[t.metric];
    if (!m || (m.type !== "distribution" && base !== "achieved_rate" && m.type !== "gauge")) continue;
    shown.add(t.metric);
    const phase = /phase="([^"]+)"/.exec(t.metric)?.[1];
    const stat = statOf(t.expression);
    parts.push(
      `${metricTitle(t.metric)}${phase ? ` (${phase})` : ""}${stat ? ` ${stat}` : ""} ${formatObserved(results, t.metric, t.value)}`,
    );
  }
  return parts;
}

function correctnessParts(results: Results): string[] {
  const parts: string[] = [];
  const lost = gauge(results, "lost_updates");
  if (lost !== undefined)
    parts.push(lost === 0 ? "nothing lost" : `${lost} lost update${lost === 1 ? "" : "s"}`);
  const stale = gauge(results, "stale_writes");
  if (stale !== undefined && stale > 0)
    parts.push(`${stale} write${stale === 1 ? "" : "s"} without the Lease`);
  const timeouts = gauge(results, "wait_timeouts");
  if (timeouts !== undefined && timeouts > 0)
    parts.push(`${timeouts} wait${timeouts === 1 ? "" : "s"} timed out`);
  const { expected, observed } = results.coverage;
  if (observed < expected) parts.push(`${expected - observed} of ${expected} requests never settled`);
  return parts;
}

/** The headline: the run's key figures in words, in the order a reader asks for them. */
export function headline(results: Results): string {
  const shown = new Set<string>();
  const rss = seriesMax(results, "operator_rss_bytes");
  const parts = [
    sitesPart(results),
    pathsPart(results),
    ...judgedParts(results, shown),
    rss === undefined ? undefined : `operator peak ${formatValue(rss, "bytes")}`,
    ...correctnessParts(results),
  ].filter((p): p is string => Boolean(p));
  if (parts.length === 0) return "";
  const sentence = parts.join(", ");
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

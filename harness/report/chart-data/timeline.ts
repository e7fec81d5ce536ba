/** The failover timeline: phases as bands, injected faults and recoveries as marks on the run's time axis. */
import type { Phase, Results, RunEvent } from "../../results/schema.ts";
import { type ChartData, type ChartRow, missing } from "./types.ts";

export type EventCategory = "injection" | "recovery" | "phase" | "other";

/** The event kinds the run orchestrator records (harness/run/control); others fall back to the patterns below. */
const KNOWN: Readonly<Record<string, EventCategory>> = {
  "fault.inject": "injection",
  "fault.injected": "injection",
  "component.restart": "injection",
  "operator.restart": "injection",
  "operator.kill": "injection",
  "fault.clear": "recovery",
  "fault.cleared": "recovery",
  "component.recovered": "recovery",
  "operator.restarted": "recovery",
  "operator.caught-up": "recovery",
  "leader.elected": "recovery",
  "leader.reconciling": "recovery",
  "reroute.confirmed": "recovery",
};

export function eventCategory(event: Pick<RunEvent, "kind">): EventCategory {
  const kind = event.kind.toLowerCase();
  if (kind.startsWith("phase.")) return "phase";
  const known = KNOWN[kind];
  if (known) return known;
  // Recovery first: "restarted" is a recovery, "restart" an injection.
  if (/clear|recover|caught-up|elected|reconciling|restored|restarted|confirm/.test(kind)) return "recovery";
  if (/inject|kill|outage/.test(kind)) return "injection";
  return "other";
}

/** Routine events (load errors, churn cycles) can number thousands; the timeline shows at most this many. */
const MAX_OTHER_EVENTS = 50;

/** Phase boundaries in seconds since run start (they may be stored as ISO timestamps). */
export function phaseSeconds(phase: Phase, runStartedAt: string): { start: number; end: number } {
  const toSeconds = (v: number | string): number =>
    typeof v === "number" ? v : (Date.parse(v) - Date.parse(runStartedAt)) / 1000;
  return { start: toSeconds(phase.startedAt), end: toSeconds(phase.finishedAt) };
}

export function describeDetail(detail: RunEvent["detail"]): string {
  if (typeof detail === "string") return detail;
  return Object.entries(detail)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
}

export function timelineData(
  results: Pick<Results, "events" | "phases"> & { run: Pick<Results["run"], "startedAt"> },
): ChartData {
  const events = results.events.filter((e) => eventCategory(e) !== "phase");
  if (!events.some((e) => eventCategory(e) === "injection")) {
    return missing("no injected faults in this run's event log");
  }
  const rows: ChartRow[] = results.phases.map((p) => {
    const { start, end } = phaseSeconds(p, results.run.startedAt);
    return { lane: "phase", category: "phase", t: start, end, label: p.name };
  });
  let others = 0;
  for (const e of events) {
    const category = eventCategory(e);
    if (category === "other" && ++others > MAX_OTHER_EVENTS) continue;
    rows.push({
      lane: category,
      category,
      t: e.t,
      end: null,
      label: `${e.kind} ${describeDetail(e.detail)}`,
    });
  }
  return { rows };
}

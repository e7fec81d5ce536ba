/** The failover timeline: phases as bands, injected faults and recoveries as marks on the run's time axis. */
import type { Phase, Results, RunEvent } from "../../results/schema.ts";
import { type ChartData, type ChartRow, missing } from "./types.ts";

export type EventCategory = "injection" | "recovery" | "phase" | "other";

export function eventCategory(event: Pick<RunEvent, "kind">): EventCategory {
  const kind = event.kind.toLowerCase();
  if (kind.startsWith("phase")) return "phase";
  if (/inject|kill|restart|outage|fail|down/.test(kind)) return "injection";
  if (/clear|recover|confirm|elected|ready|up$|restored/.test(kind)) return "recovery";
  return "other";
}

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

export function timelineData(results: Results): ChartData {
  const events = results.events.filter((e) => eventCategory(e) !== "phase");
  if (!events.some((e) => eventCategory(e) === "injection")) {
    return missing("no injected faults in this run's event log");
  }
  const rows: ChartRow[] = results.phases.map((p) => {
    const { start, end } = phaseSeconds(p, results.run.startedAt);
    return { lane: "phase", category: "phase", t: start, end, label: p.name };
  });
  for (const e of events) {
    const category = eventCategory(e);
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

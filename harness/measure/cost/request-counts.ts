/**
 * kube-apiserver's own request counters (apiserver_request_total) as per-object costs: the change
 * over the run by resource (with its subresource, e.g. sites/status) and verb, divided by the
 * objects the run created, changed or deleted. Counts do not move with the machine's speed, so a
 * change in them is a change in the code.
 */
import { increase } from "../prometheus/counters.ts";
import type { Sample } from "../prometheus/parse.ts";

export const REQUEST_TOTAL = "apiserver_request_total";
/** The operator's resources and what it touches beside them. */
const RESOURCES = new Set(["sites", "meshes", "paths", "policies", "leases", "events"]);

/** Requests by `resource[/subresource]` and verb, summed over every other label (code, scope, …). */
export function requestTotals(samples: readonly Sample[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== REQUEST_TOTAL) continue;
    const resource = s.labels.resource ?? "";
    if (!RESOURCES.has(resource)) continue;
    const sub = s.labels.subresource ? `/${s.labels.subresource}` : "";
    const key = `resource="${resource}${sub}",verb="${s.labels.verb ?? ""}"`;
    totals.set(key, (totals.get(key) ?? 0) + s.value);
  }
  return totals;
}

/** Metric key → requests per object over the run; `total` is every counted request per object. */
export function requestsPerObject(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  objects: number,
): { byKey: Map<string, number>; total: number } {
  const byKey = new Map<string, number>();
  let sum = 0;
  for (const [key, delta] of increase(before, after)) {
    if (delta <= 0) continue;
    sum += delta;
    byKey.set(`apiserver_requests_per_object{${key}}`, round4(delta / objects));
  }
  return { byKey, total: round4(sum / objects) };
}

/** Four significant digits: enough to see a 1 % change, not so many that noise reads as news. */
export function round4(v: number): number {
  return v === 0 ? 0 : Number(v.toPrecision(4));
}

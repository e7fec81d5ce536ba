/**
 * Steady-state arithmetic: what an operator does while nothing changes, per object per minute,
 * from two readings of a counter around a quiet window. Pure.
 */
import type { Sample } from "../prometheus/parse.ts";

/** A counter's increase over `windowMs` per object per minute; undefined when there is nothing to divide by. */
export function perObjectPerMinute(increase: number, objects: number, windowMs: number): number | undefined {
  if (objects <= 0 || windowMs <= 0) return undefined;
  return Math.round((Math.max(0, increase) / objects / (windowMs / 60_000)) * 1000) / 1000;
}

const WRITE_VERBS = new Set(["POST", "PUT", "PATCH", "DELETE", "APPLY", "CREATE", "UPDATE"]);

/**
 * apiserver_request_total of write verbs to the given resources (by plural, in their API group),
 * summed per resource; the status subresource counts with its resource.
 */
export function writesByResource(
  samples: readonly Sample[],
  resources: ReadonlyArray<{ group: string; plural: string }>,
): Map<string, number> {
  const out = new Map<string, number>(resources.map((r) => [r.plural, 0]));
  for (const s of samples) {
    if (s.name !== "apiserver_request_total" || !WRITE_VERBS.has((s.labels.verb ?? "").toUpperCase()))
      continue;
    const r = resources.find((x) => x.plural === s.labels.resource && x.group === s.labels.group);
    if (r) out.set(r.plural, (out.get(r.plural) ?? 0) + s.value);
  }
  return out;
}

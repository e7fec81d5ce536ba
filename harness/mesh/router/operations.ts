/** A policy apply spanning shards, as the client sees it: one operation assembled from its parts. */
import type { Operation } from "../../../contract/patronus-api/v1.ts";

/** One operation from its per-shard parts: every site's appliedAt, converged when all parts are. */
export function combineOperations(
  id: string,
  fan: { target: string; submittedAt: string; sites: readonly string[] },
  parts: readonly Operation[],
): Operation {
  const appliedAt = new Map<string, string | undefined>();
  for (const p of parts) for (const e of p.sites) appliedAt.set(e.site, e.appliedAt);
  const failed = parts.find((p) => p.state === "Failed");
  const applied = parts.every((p) => p.state === "Applied");
  const convergedAt = applied
    ? parts
        .map((p) => p.convergedAt ?? "")
        .sort()
        .at(-1)
    : undefined;
  return {
    id,
    kind: "policy-apply",
    target: fan.target,
    state: failed ? "Failed" : applied ? "Applied" : "Pending",
    submittedAt: fan.submittedAt,
    sites: fan.sites.map((site) => {
      const at = appliedAt.get(site);
      return at ? { site, appliedAt: at } : { site };
    }),
    ...(convergedAt ? { convergedAt } : {}),
    ...(failed?.message ? { message: failed.message } : {}),
  };
}

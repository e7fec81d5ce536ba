/**
 * The Site and Policy objects the load driver creates and how it changes them. Sites take their
 * spec from the simulated world (so the operator registers exactly the sites the mesh models);
 * an update changes a link's cost, which bumps metadata.generation without changing topology.
 */
import type { WorldSite } from "../../mesh/model/world.ts";
import type { ObjectTemplate } from "../../scenario/phases.ts";

/** Label on every object a run creates, so cleanup and selectors find them. */
export const RUN_LABEL = "bench.patronus.io/run";

export function siteSpec(site: WorldSite, template?: ObjectTemplate): Record<string, unknown> {
  const links = template?.links ? site.links.slice(0, template.links) : site.links;
  return { region: site.region, hub: site.hub, links: links.map((l) => ({ ...l })) };
}

/** A spec change the operator must carry to the mesh: the first link's cost moves by one. */
export function updatedSiteSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const links = (spec.links as Array<Record<string, unknown>>).map((l) => ({ ...l }));
  const first = links[0];
  if (first) first.cost = ((Number(first.cost) || 0) + 1) % 1001;
  return { ...spec, links };
}

const CLASSES = ["voice", "video", "business", "bulk"] as const;

export function policySpec(index: number, template?: ObjectTemplate): Record<string, unknown> {
  const cls = template?.class ?? `${CLASSES[index % CLASSES.length]}-${index}`;
  return {
    class: cls,
    match: { applications: [`app-${index}`] },
    siteSelector: template?.labels ? { matchLabels: template.labels } : {},
    sla: template?.sla ?? { maxLatencyMs: 150, maxJitterMs: 30, maxLossPercent: 1 },
    preferredLinks: template?.preferredLinks ?? ["mpls", "internet", "lte"],
  };
}

export function updatedPolicySpec(spec: Record<string, unknown>): Record<string, unknown> {
  const sla = { ...(spec.sla as Record<string, number>) };
  sla.maxLatencyMs = sla.maxLatencyMs === 150 ? 160 : 150;
  return { ...spec, sla };
}

export function policyName(index: number): string {
  return `policy-${String(index).padStart(5, "0")}`;
}

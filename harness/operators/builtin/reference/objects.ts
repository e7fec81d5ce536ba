/**
 * The reference operator's objects (group sdwan.patronus.io) as the load driver writes them, and
 * how their status reads: Sites take their spec from the simulated world, so the operator
 * registers exactly the sites the mesh models; a Site update moves its first link's cost by one
 * (a new generation without a topology change), a Policy update toggles its latency bound.
 */
import type { KubeObject, TemplateContext } from "../../definition.ts";

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

function conditions(obj: KubeObject): Condition[] {
  const list = obj.status?.conditions;
  return Array.isArray(list) ? (list as Condition[]) : [];
}

function condition(obj: KubeObject, type: string): Condition | undefined {
  return conditions(obj).find((c) => c.type === type);
}

/** The status is about the spec the object holds now. */
function current(obj: KubeObject): boolean {
  return Number(obj.status?.observedGeneration ?? -1) === (obj.metadata.generation ?? 0);
}

/** `type` True about the current generation (an object being deleted is not Ready any more). */
export function conditionReady(type: string) {
  return (obj: KubeObject): boolean =>
    !obj.metadata.deletionTimestamp && current(obj) && condition(obj, type)?.status === "True";
}

export function observedGenerationReached(obj: KubeObject, sent: { generation: number }): boolean {
  return Number(obj.status?.observedGeneration ?? -1) >= sent.generation;
}

export function siteTemplate(ctx: TemplateContext): { spec: Record<string, unknown> } {
  const site = ctx.site;
  if (!site) throw new Error(`the reference Site template needs the world's site ${ctx.index}`);
  const limit = typeof ctx.settings?.links === "number" ? ctx.settings.links : undefined;
  const links = (limit ? site.links.slice(0, limit) : site.links).map((l) => ({ ...l }));
  const first = links[0];
  if (first && ctx.variant > 0) first.cost = (first.cost + ctx.variant) % 1001;
  return { spec: { region: site.region, hub: site.hub, links } };
}

/** Site phases Failed: the spec is invalid (InvalidSpec) or the Patronus API refused it (Rejected). */
export function siteFailed(obj: KubeObject): string | undefined {
  if (obj.status?.phase !== "Failed") return undefined;
  const ready = condition(obj, "Ready");
  return `${ready?.reason ?? "Failed"}: ${ready?.message ?? "no message"}`;
}

const CLASSES = ["voice", "video", "business", "bulk"] as const;

export function policyTemplate(ctx: TemplateContext): { spec: Record<string, unknown> } {
  const s = ctx.settings ?? {};
  const labels = s.labels as Record<string, string> | undefined;
  const sla = {
    ...((s.sla as Record<string, number> | undefined) ?? {
      maxLatencyMs: 150,
      maxJitterMs: 30,
      maxLossPercent: 1,
    }),
  };
  // Each update toggles the bound between 150 and 160 ms, starting from the template's value.
  for (let i = 0; i < ctx.variant; i++) sla.maxLatencyMs = sla.maxLatencyMs === 150 ? 160 : 150;
  return {
    spec: {
      class: (s.class as string | undefined) ?? `${CLASSES[ctx.index % CLASSES.length]}-${ctx.index}`,
      match: { applications: [`app-${ctx.index}`] },
      siteSelector: labels ? { matchLabels: labels } : {},
      sla,
      preferredLinks: (s.preferredLinks as string[] | undefined) ?? ["mpls", "internet", "lte"],
    },
  };
}

/** Not accepted (invalid, unknown sites) or an apply operation that failed in the mesh. */
export function policyFailed(obj: KubeObject): string | undefined {
  const accepted = condition(obj, "Accepted");
  if (accepted?.status === "False")
    return `${accepted.reason ?? "NotAccepted"}: ${accepted.message ?? "no message"}`;
  const applied = condition(obj, "Applied");
  if (applied?.status === "False" && applied.reason === "ApplyFailed")
    return `ApplyFailed: ${applied.message ?? "no message"}`;
  return undefined;
}

export function meshTemplate(ctx: TemplateContext): { spec: Record<string, unknown> } {
  const t = (ctx.settings?.topology as { type: string; k?: number } | undefined) ?? { type: "hub-spoke" };
  const topology = t.type === "partial" ? { type: t.type, k: t.k } : { type: t.type };
  return { spec: { topology, siteSelector: {} } };
}

/** The Mesh cannot be programmed: invalid spec, topology or tunnel budget, or a tunnel conflict. */
export function meshFailed(obj: KubeObject): string | undefined {
  const ready = condition(obj, "Ready");
  if (ready?.status !== "False") return undefined;
  const failures = ["InvalidSpec", "InvalidTopology", "TunnelBudgetExceeded", "TunnelConflict"];
  return failures.includes(ready.reason ?? "")
    ? `${ready.reason}: ${ready.message ?? "no message"}`
    : undefined;
}

/** A Path reports its tunnel's state once the telemetry reached it; Down is the mesh's state, not a failure. */
export function pathReady(obj: KubeObject): boolean {
  const state = obj.status?.state;
  return typeof state === "string" && state !== "Unknown";
}

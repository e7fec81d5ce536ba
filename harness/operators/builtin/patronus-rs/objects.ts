/**
 * The upstream operator's objects (group sdwan.patronus.dev), in the field names its Rust types
 * read — serde without renames, so snake_case (`public_key`, `listen_port`, `peer_with`,
 * `dst_port_range`), `match` and `type` renamed — and how its status reads (src/crd/*.rs,
 * src/controllers/*.rs).
 */
import { createHash } from "node:crypto";
import type { KubeObject, SentWrite, TemplateContext } from "../../definition.ts";

export const GROUP = "sdwan.patronus.dev";
export const VERSION = "v1alpha1";

/**
 * A WireGuard public key as the operator validates it (44 characters ending in "="): base64 of
 * 32 bytes derived from the seed and the index, so a run's keys are the same every time.
 */
export function wireguardKey(seed: number, index: number): string {
  return createHash("sha256").update(`patronus-bench site ${seed}/${index}`).digest("base64");
}

/** One endpoint per site, 10.x.y.z from the index (the operator checks only for "host:port"). */
export function siteEndpoint(index: number): string {
  const n = index + 1;
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}:51820`;
}

export function siteTemplate(ctx: TemplateContext): { spec: Record<string, unknown> } {
  const region = ctx.site?.region ?? "region-000";
  return {
    spec: {
      // The update the churn phases make: a field the operator sends to the Patronus API.
      location: ctx.variant === 0 ? region : `${region} (revision ${ctx.variant})`,
      wireguard: {
        public_key: wireguardKey(ctx.seed, ctx.index),
        listen_port: 51820,
        endpoints: [siteEndpoint(ctx.index)],
      },
      mesh: { enabled: true, peer_with: [] },
    },
  };
}

interface SiteCondition {
  type?: string;
  status?: string;
  message?: string;
  last_transition_time?: string;
}

function readyCondition(obj: KubeObject): SiteCondition | undefined {
  const list = obj.status?.conditions;
  return Array.isArray(list) ? (list as SiteCondition[]).find((c) => c.type === "Ready") : undefined;
}

export function siteReady(obj: KubeObject): boolean {
  return !obj.metadata.deletionTimestamp && obj.status?.phase === "Active";
}

/** Phase Failed: an invalid spec or a Patronus API call that failed; the Ready condition says which. */
export function siteFailed(obj: KubeObject): string | undefined {
  if (obj.status?.phase !== "Failed") return undefined;
  return readyCondition(obj)?.message ?? "phase Failed (no message)";
}

/**
 * The operator publishes no observedGeneration. Every reconcile rewrites the Ready condition with
 * last_transition_time = now, so a time later than the write's acknowledgement says a reconcile
 * finished after it. A reconcile that read the object just before the write and wrote its status
 * just after would pass too: the nearest this status allows.
 */
export function siteUpdateObserved(obj: KubeObject, sent: SentWrite): boolean {
  const at = Date.parse(readyCondition(obj)?.last_transition_time ?? "");
  return Number.isFinite(at) && at > sent.at;
}

const PROTOCOLS = ["tcp", "udp"] as const;
const QOS_CLASSES = ["realtime", "business-critical", "best-effort"] as const;

export function policyTemplate(ctx: TemplateContext): { spec: Record<string, unknown> } {
  const base = 100 + (ctx.index % 800);
  return {
    spec: {
      // 0–1000, as the operator validates; each update moves it by one.
      priority: (base + ctx.variant) % 1001,
      match: {
        protocol: PROTOCOLS[ctx.index % PROTOCOLS.length],
        dst_port_range: String(1024 + (ctx.index % 60_000)),
      },
      action: {
        type: "route",
        qos: { class: QOS_CLASSES[ctx.index % QOS_CLASSES.length], bandwidth: "100Mbps" },
      },
    },
  };
}

export function policyReady(obj: KubeObject): boolean {
  return !obj.metadata.deletionTimestamp && obj.status?.active === true;
}

/** active false: the Patronus API call failed; the status keeps no message (its log does). */
export function policyFailed(obj: KubeObject): string | undefined {
  return obj.status?.active === false
    ? "status.active is false: the Patronus API call failed (the operator's log has the error)"
    : undefined;
}

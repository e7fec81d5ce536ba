/** Policy: steers a traffic class over preferred link types within SLA bounds. */
import { z } from "zod";
import {
  Cidr,
  Conditions,
  dnsLabel,
  Generation,
  LabelSelector,
  LinkType,
  ObjectMeta,
  Timestamp,
} from "./common.ts";
import { API_VERSION, POLICY } from "./constants.ts";

const unique = <T>(xs: readonly T[]) => new Set(xs).size === xs.length;

export const PolicyMatch = z
  .strictObject({
    applications: z
      .array(
        z
          .string()
          .min(1)
          .max(63)
          .regex(/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/, "must be a lowercase application name"),
      )
      .max(32)
      .refine(unique, "must not repeat an application")
      .optional(),
    dscp: z
      .array(z.number().int().min(0).max(63))
      .max(64)
      .refine(unique, "must not repeat a DSCP value")
      .optional(),
    prefixes: z.array(Cidr).max(64).refine(unique, "must not repeat a prefix").optional(),
  })
  .refine(
    (m) => (m.applications?.length ?? 0) > 0 || (m.dscp?.length ?? 0) > 0 || (m.prefixes?.length ?? 0) > 0,
    "match needs at least one of applications, dscp or prefixes",
  );
export type PolicyMatch = z.infer<typeof PolicyMatch>;

export const PolicySla = z
  .strictObject({
    maxLatencyMs: z.number().positive().max(10_000),
    maxJitterMs: z.number().min(0).max(10_000),
    maxLossPercent: z.number().min(0).max(100),
  })
  .superRefine((s, ctx) => {
    if (s.maxJitterMs > s.maxLatencyMs) {
      ctx.addIssue({
        code: "custom",
        path: ["maxJitterMs"],
        message: "maxJitterMs must not exceed maxLatencyMs",
      });
    }
  });
export type PolicySla = z.infer<typeof PolicySla>;

export const PolicySpec = z.strictObject({
  class: dnsLabel(),
  match: PolicyMatch,
  siteSelector: LabelSelector.optional(),
  sla: PolicySla,
  preferredLinks: z
    .array(LinkType)
    .min(1)
    .max(3)
    .refine(unique, "preferredLinks must not repeat a link type"),
});
export type PolicySpec = z.infer<typeof PolicySpec>;
export type PolicySpecInput = z.input<typeof PolicySpec>;

export const PolicyStatus = z.strictObject({
  observedGeneration: Generation.optional(),
  conditions: Conditions.optional(),
  lastOperationId: z.string().max(128).optional(),
  appliedAt: Timestamp.optional(),
  sites: z.number().int().min(0).optional(),
  reroutes: z.number().int().min(0).optional(),
});
export type PolicyStatus = z.infer<typeof PolicyStatus>;

export const PolicyResource = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal(POLICY.kind),
  metadata: ObjectMeta,
  spec: PolicySpec,
  status: PolicyStatus.optional(),
});
export type Policy = z.infer<typeof PolicyResource>;

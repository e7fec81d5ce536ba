/** Site: one branch or datacenter, registered with the Patronus API under its object name. */
import { z } from "zod";
import {
  Conditions,
  dnsLabel,
  dnsLabelPattern,
  Generation,
  LinkName,
  LinkType,
  ObjectMeta,
} from "./common.ts";
import { API_VERSION, SITE, SITE_PHASES } from "./constants.ts";

export const WanLink = z.strictObject({
  name: LinkName,
  type: LinkType,
  bandwidthMbps: z.number().int().min(1).max(400_000),
  cost: z.number().int().min(0).max(1000),
});
export type WanLink = z.infer<typeof WanLink>;

export const SiteSpec = z.strictObject({
  region: dnsLabel(),
  hub: z.boolean().default(false),
  links: z
    .array(WanLink)
    .min(1)
    .max(3)
    .refine(
      (links) => new Set(links.map((l) => l.name)).size === links.length,
      "link names must be unique within a site",
    ),
});
export type SiteSpec = z.infer<typeof SiteSpec>;
export type SiteSpecInput = z.input<typeof SiteSpec>;

export const SiteStatus = z.strictObject({
  siteId: z.string().max(128).optional(),
  phase: z.enum(SITE_PHASES).optional(),
  observedGeneration: Generation.optional(),
  registeredRevision: Generation.optional(),
  conditions: Conditions.optional(),
});
export type SiteStatus = z.infer<typeof SiteStatus>;

export const SiteResource = z
  .strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(SITE.kind),
    metadata: ObjectMeta,
    spec: SiteSpec,
    status: SiteStatus.optional(),
  })
  .superRefine((site, ctx) => {
    const name = site.metadata.name;
    if (name.length > 63 || !dnsLabelPattern.test(name)) {
      ctx.addIssue({
        code: "custom",
        // The apiserver reports root rules at "metadata" (a fieldPath cannot name metadata.name).
        path: ["metadata"],
        message:
          "Site names must be DNS-1123 labels (no dots, at most 63 characters): they are joined with dots into tunnel ids",
      });
    }
  });
export type Site = z.infer<typeof SiteResource>;

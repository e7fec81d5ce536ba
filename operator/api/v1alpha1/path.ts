/** Path: one tunnel of a Mesh between two sites over one link pair, named after its tunnel id. */
import { z } from "zod";
import { Conditions, dnsLabel, dnsSubdomain, Generation, LinkName, ObjectMeta, Timestamp } from "./common.ts";
import { API_VERSION, PATH, PATH_STATES } from "./constants.ts";

export const PathSpec = z
  .strictObject({
    mesh: dnsSubdomain(),
    tunnelId: dnsSubdomain().min(3),
    siteA: dnsLabel(),
    siteB: dnsLabel(),
    linkA: LinkName,
    linkB: LinkName,
  })
  .superRefine((p, ctx) => {
    if (p.siteA === p.siteB) {
      ctx.addIssue({ code: "custom", path: ["siteB"], message: "siteA and siteB must be different sites" });
    }
    if (p.tunnelId !== `${p.siteA}.${p.siteB}.${p.linkA}.${p.linkB}`) {
      ctx.addIssue({
        code: "custom",
        path: ["tunnelId"],
        message: "tunnelId must be siteA.siteB.linkA.linkB",
      });
    }
  });
export type PathSpec = z.infer<typeof PathSpec>;

export const PathStatus = z.strictObject({
  state: z.enum(PATH_STATES).optional(),
  latencyMs: z.number().min(0).optional(),
  jitterMs: z.number().min(0).optional(),
  lossPercent: z.number().min(0).max(100).optional(),
  lastTelemetryAt: Timestamp.optional(),
  observedGeneration: Generation.optional(),
  conditions: Conditions.optional(),
});
export type PathStatus = z.infer<typeof PathStatus>;

export const PathResource = z
  .strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(PATH.kind),
    metadata: ObjectMeta,
    spec: PathSpec,
    status: PathStatus.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.metadata.name !== p.spec.tunnelId) {
      ctx.addIssue({
        code: "custom",
        path: ["metadata"],
        message: "a Path must be named after its spec.tunnelId",
      });
    }
  });
export type Path = z.infer<typeof PathResource>;

/** Mesh: a tunnel topology over the Sites it selects; owns one Path per tunnel. */
import { z } from "zod";
import { Conditions, Generation, LabelSelector, ObjectMeta } from "./common.ts";
import { API_VERSION, DEFAULT_MAX_TUNNELS, MESH, TOPOLOGY_TYPES } from "./constants.ts";

export const MeshTopology = z
  .strictObject({
    type: z.enum(TOPOLOGY_TYPES),
    k: z.number().int().min(1).max(1000).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.type === "partial" && t.k === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["k"],
        message: "k is required when the topology type is partial",
      });
    }
    if (t.type !== "partial" && t.k !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["k"],
        message: "k is only allowed when the topology type is partial",
      });
    }
  });
export type MeshTopology = z.infer<typeof MeshTopology>;

export const MeshSpec = z.strictObject({
  topology: MeshTopology,
  siteSelector: LabelSelector.optional(),
  maxTunnels: z.number().int().min(1).max(200_000).default(DEFAULT_MAX_TUNNELS),
});
export type MeshSpec = z.infer<typeof MeshSpec>;
export type MeshSpecInput = z.input<typeof MeshSpec>;

export const MeshStatus = z.strictObject({
  observedGeneration: Generation.optional(),
  sites: z.number().int().min(0).optional(),
  paths: z.number().int().min(0).optional(),
  healthyPaths: z.number().int().min(0).optional(),
  conditions: Conditions.optional(),
});
export type MeshStatus = z.infer<typeof MeshStatus>;

export const MeshResource = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal(MESH.kind),
  metadata: ObjectMeta,
  spec: MeshSpec,
  status: MeshStatus.optional(),
});
export type Mesh = z.infer<typeof MeshResource>;

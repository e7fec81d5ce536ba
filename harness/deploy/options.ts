/**
 * What the generated manifests can be asked for, validated with zod so a bad value fails with
 * the option named (e.g. `operator.resources.requests.cpu: must not exceed the limit`).
 */
import { z } from "zod";
import { HarnessError } from "../errors.ts";
import { isQuantity, parseQuantity } from "./quantity.ts";

const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label (lower case, digits, '-')");

const quantity = z.string().refine(isQuantity, "must be a Kubernetes quantity (e.g. 500m, 256Mi)");

const Resources = z
  .strictObject({
    requests: z.strictObject({ cpu: quantity, memory: quantity }),
    limits: z.strictObject({ cpu: quantity, memory: quantity }),
  })
  .superRefine((r, ctx) => {
    for (const k of ["cpu", "memory"] as const) {
      if (parseQuantity(r.requests[k]) > parseQuantity(r.limits[k])) {
        ctx.addIssue({
          code: "custom",
          path: ["requests", k],
          message: `${r.requests[k]} must not exceed the limit ${r.limits[k]}`,
        });
      }
    }
  });
export type Resources = z.infer<typeof Resources>;

/** A production-like operator pod: the figures the container runtime reproduces too. */
export const OPERATOR_RESOURCES: Resources = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
};

export const DeployOptions = z.strictObject({
  namespace: dnsLabel.default("patronus-system"),
  image: z
    .string()
    .min(1)
    .regex(/^[^\s]+$/, "must be an image reference without spaces"),
  imagePullPolicy: z.enum(["Always", "IfNotPresent", "Never"]).default("IfNotPresent"),
  operator: z
    .strictObject({
      /** false: the simulator only (an operator with its own image is installed another way, e.g. its chart). */
      enabled: z.boolean().default(true),
      replicas: z.number().int().min(1).max(10).default(2),
      /** Namespace whose Sites/Meshes/Paths/Policies the operator reconciles. */
      watchNamespace: dnsLabel.default("default"),
      /** A real Patronus control plane instead of the in-cluster simulator. */
      patronusUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
      metricsPort: z.number().int().min(1024).max(65535).default(8080),
      resources: Resources.default(OPERATOR_RESOURCES),
      logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
      extraArgs: z.array(z.string()).default([]),
    })
    .default({
      enabled: true,
      replicas: 2,
      watchNamespace: "default",
      metricsPort: 8080,
      resources: OPERATOR_RESOURCES,
      logLevel: "info",
      extraArgs: [],
    }),
  mesh: z
    .strictObject({
      enabled: z.boolean().default(true),
      sites: z.number().int().min(1).max(100_000).default(1000),
      topology: z.string().min(1).default("hub-spoke"),
      seed: z.number().int().min(0).default(1),
      port: z.number().int().min(1024).max(65535).default(8080),
      /** Simulator replicas (each a site range) behind the shard router; 1 is one simulator. */
      shards: z.number().int().min(1).max(64).default(1),
      /** More simulator flags (a scenario's regions, telemetry tick, API rate…); later ones win. */
      extraArgs: z.array(z.string()).default([]),
      resources: Resources.default({
        requests: { cpu: "250m", memory: "256Mi" },
        limits: { cpu: "1", memory: "1Gi" },
      }),
    })
    .default({
      enabled: true,
      sites: 1000,
      topology: "hub-spoke",
      seed: 1,
      port: 8080,
      shards: 1,
      extraArgs: [],
      resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    }),
  /** Bearer token shared by the simulator and the operator; random when absent. */
  patronusToken: z
    .string()
    .min(16, "must be at least 16 characters")
    .regex(/^\S+$/, "must not contain spaces")
    .optional(),
});
export type DeployOptionsInput = z.input<typeof DeployOptions>;
export type DeployOptions = z.output<typeof DeployOptions>;

export function parseDeployOptions(input: unknown, where = "deploy options"): DeployOptions {
  const parsed = DeployOptions.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new HarnessError(`invalid ${where}:\n  ${lines.join("\n  ")}`);
  }
  return parsed.data;
}

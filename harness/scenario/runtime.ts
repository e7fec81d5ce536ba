/**
 * Where the operator (and the mesh simulator) of a run executes: as a plain process (default), as
 * a container of the project image with a pod's CPU and memory limits (harness/container/), or
 * in the cluster itself as the generated Deployments (harness/run/system/in-cluster/; kind or
 * kubeconfig clusters, which have nodes). Quantities are Kubernetes' ("500m", "256Mi"), as in
 * the Deployment the harness generates, so a scenario states the same numbers a production pod
 * spec would.
 */
import { z } from "zod";
import { clusterCapabilities } from "../cluster/capabilities.ts";
import type { ProviderName } from "../cluster/provider.ts";
import { isQuantity, parseQuantity } from "../deploy/quantity.ts";

export const DEFAULT_IMAGE = "patronus-bench:dev";

/** Docker's own bounds: it rejects fewer than 0.01 CPUs and less than 6 MiB of memory. */
const MIN_CPU_CORES = 0.01;
const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

/** `--set operator.resources.cpu=2` arrives as a number: a plain number is a quantity too. */
const QuantityText = z.union([z.string(), z.number().nonnegative()]).transform(String);

const CpuQuantity = QuantityText.pipe(z.string())
  .refine(isQuantity, 'must be a Kubernetes CPU quantity such as "500m" or "2"')
  .refine((q) => !isQuantity(q) || parseQuantity(q) >= MIN_CPU_CORES, "must be at least 10m");

const MemoryQuantity = QuantityText.pipe(z.string())
  .refine(isQuantity, 'must be a Kubernetes memory quantity such as "256Mi" or "1Gi"')
  .refine((q) => !/m$/.test(q), 'uses "m" (milli), which means thousandths of a byte: write Mi')
  .refine(
    (q) => !isQuantity(q) || /m$/.test(q) || parseQuantity(q) >= MIN_MEMORY_BYTES,
    "must be at least 6Mi (Docker's minimum)",
  );

/** A container's limits, as `resources.limits` of a pod spec. */
export const ContainerResources = z.strictObject({
  cpu: CpuQuantity.default("500m"),
  memory: MemoryQuantity.default("256Mi"),
});

export const Runtime = z.enum(["process", "container", "cluster"]);
export type Runtime = z.infer<typeof Runtime>;

/** Image reference: [registry/]name[:tag][@digest], as Docker accepts it. */
export const ImageRef = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
    "must be an image reference such as patronus-bench:dev",
  );

export interface ResourcesFor {
  runtime: Runtime;
  resources?: z.infer<typeof ContainerResources> | undefined;
}

/** Limits only mean something in a container or a pod: say so instead of ignoring them. */
export function checkResourcesNeedContainer(
  what: "operator" | "mesh",
  c: ResourcesFor,
  ctx: z.RefinementCtx,
): void {
  if (c.resources && c.runtime === "process") {
    ctx.addIssue({
      code: "custom",
      path: ["resources"],
      message: `limits apply to ${what}.runtime "container" or "cluster" only (it is "process"): set ${what}.runtime (run --runtime container) or remove ${what}.resources`,
    });
  }
}

interface RuntimeChoice {
  cluster: { provider: ProviderName };
  operator: { runtime: Runtime; image: string };
  mesh: { runtime: Runtime; image: string };
}

/**
 * "cluster" needs nodes (kind or kubeconfig; the embedded control plane has none), and both halves
 * in the cluster: the in-cluster operator reaches the simulator by its Service, which a simulator
 * on this machine does not have. One image serves both (its two commands).
 */
export function checkClusterRuntime(d: RuntimeChoice, ctx: z.RefinementCtx): void {
  const { operator, mesh } = d;
  if (operator.runtime !== "cluster" && mesh.runtime !== "cluster") return;
  if (!clusterCapabilities(d.cluster.provider).supportsInClusterRuntime) {
    ctx.addIssue({
      code: "custom",
      path: [operator.runtime === "cluster" ? "operator" : "mesh", "runtime"],
      message:
        'runtime "cluster" deploys pods, and the embedded cluster has no nodes: use cluster.provider kind or kubeconfig (run --cluster kind)',
    });
  }
  if ((operator.runtime === "cluster") !== (mesh.runtime === "cluster")) {
    ctx.addIssue({
      code: "custom",
      path: [operator.runtime === "cluster" ? "mesh" : "operator", "runtime"],
      message:
        'operator.runtime and mesh.runtime are "cluster" together or not at all (the in-cluster operator reaches the simulator through its Service): `run --runtime cluster` sets both',
    });
  }
  if (operator.runtime === "cluster" && mesh.runtime === "cluster" && mesh.image !== operator.image) {
    ctx.addIssue({
      code: "custom",
      path: ["mesh", "image"],
      message: `runtime "cluster" deploys one image with two commands: mesh.image (${mesh.image}) must equal operator.image (${operator.image})`,
    });
  }
}

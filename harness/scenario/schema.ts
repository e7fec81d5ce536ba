/**
 * The scenario definition: what to bring up (cluster, mesh, operator), what to do (phases), and
 * what must hold at the end (thresholds). Validated with zod so a wrong field names its path.
 */
import { z } from "zod";
import { clusterCapabilities } from "../cluster/capabilities.ts";
import { KindName } from "../operators/definition.ts";
import { Duration } from "./duration.ts";
import { Phase } from "./phases.ts";
import {
  ContainerResources,
  checkClusterRuntime,
  checkResourcesNeedContainer,
  DEFAULT_IMAGE,
  ImageRef,
  Runtime,
} from "./runtime.ts";
import { Capability } from "./subjects.ts";
import { parseThreshold, ThresholdSyntaxError } from "./threshold/parse.ts";

export const ClusterConfig = z
  .strictObject({
    // kind: the cluster of kind-config.yaml, created or reused by name. The operator and the simulator
    // run on this machine unless operator.runtime/mesh.runtime are "cluster" (deployed as pods).
    provider: z.enum(["embedded", "kind", "kubeconfig"]).default("embedded"),
    kubeconfig: z.string().optional(),
    /** Provider knobs, e.g. apiserver max-requests-inflight or etcd fsync; passed through to startCluster. */
    knobs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  })
  // The embedded cluster's knobs are checked with the scenario, so a bad one names the file and
  // the field before anything starts.
  .superRefine((c, ctx) => {
    const knobs = clusterCapabilities(c.provider).knobs;
    if (!knobs) return;
    const parsed = knobs.safeParse(c.knobs);
    for (const issue of parsed.error?.issues ?? []) {
      if (issue.code === "unrecognized_keys") {
        const known = Object.keys(knobs.shape).join(", ");
        for (const key of issue.keys)
          ctx.addIssue({
            code: "custom",
            path: ["knobs", key],
            message: `unknown knob (the ${c.provider} cluster's: ${known})`,
          });
      } else ctx.addIssue({ code: "custom", path: ["knobs", ...issue.path], message: issue.message });
    }
  });

export const MeshConfig = z
  .strictObject({
    sites: z.number().int().min(1).max(100_000).default(50),
    regions: z.number().int().min(1).max(1000).default(4),
    hubsPerRegion: z.number().int().min(1).max(16).default(2),
    topology: z
      .strictObject({
        type: z.enum(["hub-spoke", "regional", "partial", "full"]).default("hub-spoke"),
        k: z.number().int().min(1).optional(),
      })
      .refine(
        (t) => (t.type === "partial") === (t.k !== undefined),
        "k is required for partial and only for partial",
      )
      .default({ type: "hub-spoke" }),
    seed: z.number().int().nonnegative().default(1),
    telemetryTick: Duration.default(1000),
    /** Chance per link per 60 ticks of a congestion event (0: a calm world, only injected faults). */
    linkEventProbability: z.number().min(0).max(1).default(0.01),
    /** Per-token request rate the simulated Patronus API allows (429 beyond it). */
    apiRate: z.number().int().positive().default(1000),
    /** Simulator replicas behind the shard router (harness/mesh/router); 1 is one simulator. */
    shards: z.number().int().min(1).max(64).default(1),
    /** "container": the image's simulator command, so its CPU is capped apart from the operator's; "cluster": a Deployment. */
    runtime: Runtime.default("process"),
    /** Container limits of the simulator; none means unlimited. */
    resources: ContainerResources.optional(),
    image: ImageRef.default(DEFAULT_IMAGE),
  })
  .superRefine((m, ctx) => checkResourcesNeedContainer("mesh", m, ctx));

export const LeaderElection = z.strictObject({
  leaseDuration: Duration.default(15_000),
  renewDeadline: Duration.default(10_000),
  retryPeriod: Duration.default(2_000),
});

export const OperatorConfig = z
  .strictObject({
    replicas: z.number().int().min(1).max(5).default(1),
    /** Workers per controller (the operator's --concurrency), and for the Path controller. */
    concurrency: z.number().int().min(1).max(256).default(4),
    pathConcurrency: z.number().int().min(1).max(256).optional(),
    /** Client-side limiter of the operator's apiserver calls (--qps/--burst). */
    qps: z.number().positive().default(20),
    burst: z.number().int().positive().default(30),
    /** The workqueues' overall token bucket (--workqueue-qps/--workqueue-burst; controller-runtime: 10/100). */
    workqueueQps: z.number().positive().default(10),
    workqueueBurst: z.number().int().positive().default(100),
    leaderElection: LeaderElection.default({
      leaseDuration: 15_000,
      renewDeadline: 10_000,
      retryPeriod: 2_000,
    }),
    extraArgs: z.array(z.string()).default([]),
    /** "container": the project image under pod-like limits (harness/container/) instead of a process; "cluster": pods of the generated Deployment. */
    runtime: Runtime.default("process"),
    /** The container's or pod's limits (default 500m / 256Mi, the generated Deployment's); container and cluster runtimes only. */
    resources: ContainerResources.optional(),
    /** Image of the container and cluster runtimes, built by ci/container/build-image.sh (kind: also `kind load`ed). */
    image: ImageRef.default(DEFAULT_IMAGE),
  })
  .superRefine((o, ctx) => checkResourcesNeedContainer("operator", o, ctx));

const ThresholdText = z.string().superRefine((text, ctx) => {
  try {
    parseThreshold(text);
  } catch (err) {
    if (!(err instanceof ThresholdSyntaxError)) throw err;
    ctx.addIssue({ code: "custom", message: err.message });
  }
});

/**
 * What the scenario cannot run without. A run on an operator that lacks any of it is refused
 * before anything starts; phases and thresholds that use anything else are optional, reported
 * not applicable where the operator lacks it.
 */
export const Requirements = z.strictObject({
  kinds: z.array(KindName).min(1).default(["Site"]),
  capabilities: z.array(Capability).default([]),
});

export const ThresholdEntry = z.union([
  ThresholdText,
  z.strictObject({ threshold: ThresholdText, abortOnFail: z.boolean().default(false) }),
]);

export const ScenarioDefinition = z
  .strictObject({
    name: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]*$/,
        "must be lower-case letters, digits and dashes (it names the output directory)",
      ),
    description: z.string().min(1),
    namespace: z.string().default("patronus-bench"),
    cluster: ClusterConfig.default({ provider: "embedded", knobs: {} }),
    mesh: MeshConfig.default({
      sites: 50,
      regions: 4,
      hubsPerRegion: 2,
      topology: { type: "hub-spoke" },
      seed: 1,
      telemetryTick: 1000,
      linkEventProbability: 0.01,
      apiRate: 1000,
      shards: 1,
      runtime: "process",
      image: DEFAULT_IMAGE,
    }),
    operator: OperatorConfig.default({
      replicas: 1,
      concurrency: 4,
      qps: 20,
      burst: 30,
      workqueueQps: 10,
      workqueueBurst: 100,
      leaderElection: { leaseDuration: 15_000, renewDeadline: 10_000, retryPeriod: 2_000 },
      extraArgs: [],
      runtime: "process",
      image: DEFAULT_IMAGE,
    }),
    requires: Requirements.default({ kinds: ["Site"], capabilities: [] }),
    /**
     * The quiet end of the run: after the phases, `window` in which the harness changes nothing
     * while the operator's Patronus API calls and apiserver writes are counted (0: none).
     */
    steadyState: z.strictObject({ window: Duration.default(30_000) }).default({ window: 30_000 }),
    phases: z.array(Phase).min(1),
    /** Metric name → k6-style expressions; see harness/scenario/threshold/parse.ts. */
    thresholds: z.record(z.string(), z.array(ThresholdEntry).min(1)).default({}),
    /** Object counts at which the cost curve is sampled (CPU, RSS, latency vs objects). */
    checkpoints: z.array(z.number().int().positive()).default([]),
    repeats: z.number().int().min(1).max(50).default(1),
    /** How often operator/apiserver/etcd metrics and process stats are sampled. */
    sampleInterval: Duration.default(1000),
    /** Measurements to leave out by name (see harness/measure). */
    disableMeasurements: z.array(z.string()).default([]),
  })
  .superRefine(checkClusterRuntime);

export type ScenarioDefinition = z.infer<typeof ScenarioDefinition>;
export type ScenarioInput = z.input<typeof ScenarioDefinition>;

/** The thresholds as flat specs, in declaration order. */
export function thresholdSpecs(
  def: ScenarioDefinition,
): Array<{ metric: string; expression: string; abortOnFail: boolean }> {
  return Object.entries(def.thresholds).flatMap(([metric, entries]) =>
    entries.map((e) =>
      typeof e === "string"
        ? { metric, expression: e, abortOnFail: false }
        : { metric, expression: e.threshold, abortOnFail: e.abortOnFail },
    ),
  );
}

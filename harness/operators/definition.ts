/**
 * The operator-under-test definition: everything the harness needs to build, start, feed and
 * judge an operator it never imports. A definition is data — a TypeScript module whose default
 * export is checked against this schema (functions are allowed where the data is per object:
 * templates and predicates). Built-ins live in ./builtin/; a user's own is a file given by path.
 *
 * The harness reaches the operator only through what is declared here: its process or image,
 * flags and environment (with placeholders the harness fills), the Kubernetes API, its /metrics
 * and log, and the Patronus API dialect the simulator speaks for it.
 */
import { z } from "zod";

/**
 * Placeholders the harness fills in `start` (command, args, env), `crds` (files, command), `manifests` and
 * `image` (build, command, env, helmChart), written `{name}`: an unknown one is refused when the definition
 * loads (see ./placeholders.ts).
 */
export const PLACEHOLDERS = {
  binary: "the built artifact (absolute path), when the definition has a build",
  artifactDir: "the directory holding the built artifact and its extra artifacts (by file name)",
  sourceDir: "the source directory the artifact was built from (--operator-source)",
  repoRoot: "this checkout of patronus-bench (built-in definitions of code in this repository)",
  node: "the Node 24 binary that runs the harness",
  kubeconfig: "a kubeconfig file authenticating as the operator's ServiceAccount",
  namespace: "the namespace the run's objects live in",
  operatorNamespace: "the namespace of the operator's ServiceAccount and Lease",
  patronusUrl: "the simulator's Patronus API base URL for this replica (per-caller prefix included)",
  patronusToken: "the Patronus API bearer token",
  patronusTokenFile: "a file holding the Patronus API bearer token",
  metricsPort: "a free loopback port for the operator's /metrics",
  healthPort: "a free loopback port for the operator's health endpoints",
  identity: "the replica's identity (its Lease holder name, when it elects a leader)",
  replica: "the replica's index, from 0",
  runDir: "the run's output directory",
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;

/** Placeholders of `build.command`, `build.env` and `build.artifact`/`extraArtifacts`, filled before the build runs. */
export const BUILD_PLACEHOLDERS = {
  cacheDir:
    "the harness's operator cache (shared by every operator and digest: a place for caches such as a cargo target directory)",
  buildDir: "the writable copy of the source directory the build runs in",
} as const;
export type BuildPlaceholder = keyof typeof BUILD_PLACEHOLDERS;

/** An object as the apiserver returns it; the definition's predicates read it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; generation?: number; [k: string]: unknown };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}
/** A WAN link of a simulated site, as the Patronus API model holds it. */
export interface WorldLink {
  name: string;
  type: "mpls" | "internet" | "lte";
  bandwidthMbps: number;
  cost: number;
}
/** A site of the simulated world (the mesh the simulator models); Site objects stand for them. */
export interface WorldSiteView {
  name: string;
  region: string;
  hub: boolean;
  links: readonly WorldLink[];
}
/** What a template is given to describe one object. */
export interface TemplateContext {
  /** The object's index among its kind: the world site's index for Sites, the ordinal for Policies. */
  index: number;
  /** The run's seed (the mesh's): the same seed, the same objects. */
  seed: number;
  /** 0 for the create; n for the n-th update of the same object (churn). */
  variant: number;
  /** Sites: the simulated world's site this object stands for (name, region, hub, WAN links). */
  site?: WorldSiteView;
  /**
   * The scenario's settings for this object, as data: a phase's object `template` for Sites and
   * Policies (links, labels, class, sla, preferredLinks), `{ topology }` for the Mesh.
   */
  settings?: Record<string, unknown>;
}
/** The object the harness writes: its spec (deterministic in the context) and optional labels. */
export type ObjectTemplate = (ctx: TemplateContext) => {
  spec: Record<string, unknown>;
  labels?: Record<string, string>;
};
export type ReadyPredicate = (obj: KubeObject) => boolean;
/** A status message when the object is Failed, else undefined. */
export type FailedPredicate = (obj: KubeObject) => string | undefined;
/** The harness's last write of an object: the generation the apiserver returned, the spec, and when (epoch ms, acknowledged). */
export interface SentWrite {
  generation: number;
  spec: unknown;
  at: number;
}
export type UpdateObserved = (obj: KubeObject, sent: SentWrite) => boolean;
/** What the harness sets when it installs an operator's chart on a cluster. */
export interface HelmValuesContext {
  release: string;
  /** The operator's image, put on the nodes by the harness (`pullPolicy` Never where it was loaded). */
  image: { repository: string; tag: string; pullPolicy: "Always" | "IfNotPresent" | "Never" };
  replicas: number;
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  /** The in-cluster simulator's Patronus API base URL (its Service). */
  patronusUrl: string;
  /** The ports the harness reaches /metrics and the health endpoints on (through port-forwards). */
  metricsPort: number;
  healthPort: number;
  /** The scenario's `operator` settings. */
  settings: Record<string, unknown>;
}
export type HelmValuesFunction = (ctx: HelmValuesContext) => Record<string, unknown>;
/** The scenario's `operator` settings, for definitions whose flags follow them. */
export type ArgsFunction = (operator: Record<string, unknown>) => string[];

const fn = <F>() => z.custom<F>((v) => typeof v === "function", { message: "expected a function" });

/** How to turn a source directory into a runnable artifact, cached by the digest of its inputs. */
export const BuildSpec = z.strictObject({
  /** The command, run in a writable copy of the source directory (the source may be read-only); BUILD_PLACEHOLDERS allowed. */
  command: z.array(z.string().min(1)).min(1),
  /**
   * Files whose relative paths and contents make the cache key: globs relative to the source
   * directory (`src/**`, `Cargo.lock`); a pattern matching nothing adds nothing.
   */
  inputs: z.array(z.string().min(1)).min(1),
  /** The artifact the command leaves: relative to the build directory, or under `{cacheDir}`. */
  artifact: z.string().min(1),
  /** Extra artifacts kept beside it (e.g. a CRD generator), named like `artifact`. */
  extraArtifacts: z.array(z.string().min(1)).default([]),
  /** Tools the build needs on PATH, each with how to install it (a missing one: exit 1, this text). */
  requires: z.array(z.strictObject({ command: z.string().min(1), install: z.string().min(1) })).default([]),
  /** Environment for the build; BUILD_PLACEHOLDERS allowed. */
  env: z.record(z.string(), z.string()).default({}),
  /** The source directory used when `--operator-source` is not given (absolute, or relative to this checkout). */
  defaultSource: z.string().optional(),
  /** Where to get the source, shown when neither `--operator-source` nor `defaultSource` gives one. */
  sourceHint: z.string().optional(),
});

export const StartSpec = z.strictObject({
  /**
   * argv[0] and arguments; placeholders allowed. A function gets the scenario's operator settings
   * and returns arguments that may hold placeholders too (filled when the replica starts).
   */
  command: z.array(z.string().min(1)).min(1),
  args: z.union([z.array(z.string()), fn<ArgsFunction>()]).default([]),
  env: z.record(z.string(), z.string()).default({}),
  /** The operator's log format, for the diagnosis of a failing run. */
  log: z.enum(["json", "text"]).default("text"),
});

export const ImageSpec = z.strictObject({
  /**
   * The image reference. The project image (`patronus-bench:dev`) is the reference operator's:
   * the scenario's `operator.image` names its tag. Any other image is started from this
   * definition: its entry point (or `command`) with `start.args`, and `start.env` with `env`.
   */
  name: z.string().min(1),
  /**
   * The command that builds the image (a script relative to this checkout; placeholders allowed,
   * e.g. `{binary}`), run with the image name as its last argument and `IMAGE_SOURCE_DIGEST` in
   * its environment: for an operator with a build, the image must carry that digest as its
   * `io.patronus-bench.source-digest` label, and it is rebuilt only when the label differs.
   */
  build: z.array(z.string()).optional(),
  /** Override of the image's entry point; placeholders allowed. */
  command: z.array(z.string()).optional(),
  /**
   * Environment of the container besides `start.env` (which it overrides); placeholders allowed.
   * In a container `{kubeconfig}` and `{patronusTokenFile}` name files copied into it, and the
   * host's paths (`{binary}`, `{artifactDir}`, `{repoRoot}`, …) have no value.
   */
  env: z.record(z.string(), z.string()).default({}),
  /**
   * A Helm chart directory installing the operator on a cluster (`--runtime cluster`), released as
   * the operator's name in the operator's namespace; placeholders allowed. Its pods are found by
   * Helm's standard label `app.kubernetes.io/instance=<release>`.
   */
  helmChart: z.string().optional(),
  /** (context) → the chart's values: where the chart puts the image, replicas, resources, URL and ports. */
  helmValues: fn<HelmValuesFunction>().optional(),
});

/**
 * CRD YAML files (absolute, or relative to the definition file; placeholders allowed), or a
 * command printing them (multi-document YAML on stdout).
 */
export const CrdSource = z.union([
  z.strictObject({ files: z.array(z.string().min(1)).min(1) }),
  z.strictObject({ command: z.array(z.string().min(1)).min(1) }),
]);

export const PolicyRule = z.strictObject({
  apiGroups: z.array(z.string()),
  resources: z.array(z.string()),
  verbs: z.array(z.string()).min(1),
  resourceNames: z.array(z.string()).optional(),
});

/** The kinds a scenario can create or change. Site is required; the rest are capabilities. */
export const KindName = z.enum(["Site", "Policy", "Mesh", "Path"]);
export type KindName = z.infer<typeof KindName>;

/** One object kind as the operator serves it, and how the harness judges an object of it. */
export const KindSpec = z.strictObject({
  group: z.string().min(1),
  version: z.string().min(1),
  plural: z.string().min(1),
  kind: z.string().min(1),
  /**
   * (context) → the object's spec (and optional labels): deterministic in the context, variant > 0
   * for the churn updates of the same object. Absent for kinds the operator creates itself (Paths):
   * the harness only reads those.
   */
  template: fn<ObjectTemplate>().optional(),
  /** (object) → true when the operator reports it Ready. */
  ready: fn<ReadyPredicate>(),
  /** (object) → a status message when the operator reports it Failed, else undefined. */
  failed: fn<FailedPredicate>(),
  /**
   * (object, sent) → true once the operator has observed the spec the harness last wrote
   * (`sent` holds that write's generation, spec and time). Where the operator publishes
   * `status.observedGeneration` this compares it; elsewhere it is the definition's own rule.
   * Absent when the operator's status shows nothing that tells an update was seen: updates of
   * that kind are then judged only by what reached the Patronus API (lost_updates).
   */
  updateObserved: fn<UpdateObserved>().optional(),
});

export const Capabilities = z.strictObject({
  /** The Lease it elects a leader on, or null: every replica works at once. */
  leaderElection: z.strictObject({ namespace: z.string().min(1), name: z.string().min(1) }).nullable(),
  /** Whether it puts a finalizer on what it programs (so a deletion reaches the Patronus API). */
  finalizers: z.boolean(),
  /** Whether it honours SIGSTOP/SIGCONT-style pauses by fencing its writes (informational). */
  fencing: z.boolean().default(false),
});

export const MetricNames = z.strictObject({
  /** Histogram of reconcile durations in seconds (its `_bucket/_sum/_count` series). */
  reconcileDuration: z.string().optional(),
  /** Counter of reconcile errors. */
  reconcileErrors: z.string().optional(),
  /** Counter of reconciles. */
  reconcileTotal: z.string().optional(),
  /** Gauge of workqueue depth. */
  queueDepth: z.string().optional(),
  /** Gauge that is 1 on the replica leading. */
  leader: z.string().optional(),
  /** Every other metric name it exports that a threshold may name. */
  others: z.array(z.string()).default([]),
});

export const OperatorDefinitionSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, "lower-case letters, digits and dashes, starting with a letter"),
  description: z.string().min(1),
  /** The operator's version as results.json records it (a build adds its source digest). */
  version: z.string().min(1),
  build: BuildSpec.optional(),
  start: StartSpec,
  image: ImageSpec.optional(),
  crds: CrdSource,
  /** RBAC of the operator's ServiceAccount: ClusterRole rules, and Roles in given namespaces (its Lease). */
  rbac: z.strictObject({
    rules: z.array(PolicyRule).min(1),
    namespaced: z
      .array(z.strictObject({ namespace: z.string().min(1), rules: z.array(PolicyRule).min(1) }))
      .default([]),
  }),
  /**
   * Further cluster objects its install includes besides CRDs and RBAC: YAML files (absolute, or
   * relative to the definition file; placeholders allowed), e.g. API Priority and Fairness
   * settings for its requests.
   */
  manifests: z.array(z.string().min(1)).default([]),
  kinds: z
    .strictObject({
      Site: KindSpec,
      Policy: KindSpec.optional(),
      Mesh: KindSpec.optional(),
      Path: KindSpec.optional(),
    })
    .describe("every kind the operator serves that scenarios use"),
  /** The Patronus API the simulator speaks for it. */
  patronusApi: z.strictObject({
    dialect: z.enum(["reference", "patronus-rs"]),
    /** Whether it sends the bearer token (the simulator then requires it). */
    token: z.boolean(),
  }),
  capabilities: Capabilities,
  metrics: MetricNames,
  /** Readiness endpoint on `{healthPort}` the harness waits for before it counts a replica as started. */
  health: z
    .strictObject({ path: z.string().startsWith("/"), port: z.enum(["health", "metrics"]) })
    .optional(),
});

export type OperatorDefinition = z.infer<typeof OperatorDefinitionSchema>;
/** What a definition file writes (defaults not yet filled). */
export type OperatorDefinitionInput = z.input<typeof OperatorDefinitionSchema>;
export type KindSpec = z.infer<typeof KindSpec>;
export type BuildSpec = z.infer<typeof BuildSpec>;

/**
 * `export default defineOperator({...})` in a definition file: it only types the input; the
 * loader validates it (a wrong field: the file, the field path and the expected shape).
 */
export function defineOperator(input: OperatorDefinitionInput): OperatorDefinitionInput {
  return input;
}

/** What the harness knows of an operator under test after loading (and building) it. */
export interface LoadedOperator {
  definition: OperatorDefinition;
  origin: "built-in" | "file";
  /** The definition file, for origin "file". */
  file?: string;
  /**
   * The built artifact and what it was built from, when the definition has a build: `path` fills
   * `{binary}`, `dir` `{artifactDir}`, `sourceDir` `{sourceDir}`; `extra` maps each extra
   * artifact's file name to its path.
   */
  artifact?: { path: string; dir: string; sourceDir: string; digest: string; extra: Record<string, string> };
}

/** Which kinds a scenario needs, derived from its phases and measurements. */
export function missingKinds(def: OperatorDefinition, needed: readonly KindName[]): KindName[] {
  return needed.filter((k) => def.kinds[k] === undefined);
}

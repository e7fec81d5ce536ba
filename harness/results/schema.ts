/**
 * results.json, schemaVersion 2 — the public, versioned output of every run (see README.md and
 * MIGRATIONS.md next to this file). Objects are strict: an unknown key is a writer bug or a file
 * from another schema version, and silently dropping data would hide both. Free-form parts
 * (scenario definition, cluster knobs, profile details) stay open.
 */
import { z } from "zod";

export const SCHEMA_VERSION = 2;

/**
 * HdrHistograms hold integers: values are recorded as `value-in-unit × HISTOGRAM_SCALE` (a ms
 * distribution keeps µs resolution) and encoded with hdr-histogram-js as compressed base64
 * (32-bit buckets). The measurement side (harness/measure) uses the same factor.
 */
export const HISTOGRAM_SCALE = 1000;

const isoTime = z.iso.datetime({ offset: true });
/** Seconds since the run started (phases, events, series). */
const runSeconds = z.number().nonnegative();

export const DistributionMetricSchema = z.strictObject({
  type: z.literal("distribution"),
  unit: z.string().min(1),
  count: z.number().int().nonnegative(),
  min: z.number(),
  mean: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
  histogram: z.string().describe("compressed base64 HdrHistogram, values × HISTOGRAM_SCALE"),
});

export const SeriesMetricSchema = z.strictObject({
  type: z.literal("series"),
  unit: z.string().min(1),
  points: z.array(z.tuple([runSeconds, z.number()])).describe("[seconds since run start, value]"),
});

export const CounterMetricSchema = z.strictObject({
  type: z.literal("counter"),
  unit: z.string().min(1),
  value: z.number(),
});

export const GaugeMetricSchema = z.strictObject({
  type: z.literal("gauge"),
  unit: z.string().min(1),
  value: z.number(),
});

export const MetricSchema = z.discriminatedUnion("type", [
  DistributionMetricSchema,
  SeriesMetricSchema,
  CounterMetricSchema,
  GaugeMetricSchema,
]);

/** Which operator was under test, and from what: a built-in by name or a definition file. */
export const RunOperatorSchema = z.strictObject({
  name: z.string().min(1),
  origin: z.enum(["built-in", "file"]),
  /** The definition file, for origin "file". */
  definition: z.string().optional(),
  version: z.string(),
  /** Where its binary was built from: a source directory and the digest of its inputs. */
  source: z.strictObject({ dir: z.string(), digest: z.string() }).nullable(),
  /** The container image, for the container and cluster runtimes. */
  image: z.string().optional(),
});

export const RunSchema = z.strictObject({
  id: z.string().min(1),
  scenario: z.string().min(1),
  startedAt: isoTime,
  finishedAt: isoTime,
  durationSeconds: z.number().nonnegative(),
  repeat: z.strictObject({ index: z.number().int().positive(), of: z.number().int().positive() }).optional(),
  git: z.strictObject({ commit: z.string(), dirty: z.boolean() }),
  versions: z.strictObject({
    node: z.string(),
    kubernetes: z.string(),
    etcd: z.string(),
    operator: z.string(),
    harness: z.string(),
  }),
  machine: z.strictObject({
    cores: z.number().int().positive(),
    memoryBytes: z.number().nonnegative(),
    cpuModel: z.string(),
    platform: z.string(),
  }),
  operator: RunOperatorSchema,
  cluster: z.strictObject({
    provider: z.string(),
    knobs: z.record(z.string(), z.unknown()),
    etcdFsyncDisabled: z.boolean().optional(),
  }),
  seed: z.union([z.number(), z.string()]),
  definition: z.record(z.string(), z.unknown()).describe("the scenario definition as run"),
});

/**
 * A threshold's outcome. `passed` is true only for "pass"; "inconclusive" (the run was
 * contaminated, or the uncertainty straddles the bound) and "not-applicable" (the operator lacks
 * what the metric measures) never count as passed.
 */
export const ThresholdStatusSchema = z.enum(["pass", "fail", "inconclusive", "not-applicable"]);

export const ThresholdSchema = z.strictObject({
  metric: z.string().min(1),
  expression: z.string().min(1),
  /** The value the expression was evaluated on; null when the metric was never recorded. */
  value: z.number().nullable(),
  passed: z.boolean(),
  status: ThresholdStatusSchema,
  /** Why a threshold is inconclusive or not applicable. */
  reason: z.string().optional(),
  abortOnFail: z.boolean(),
});

/** A phase or measurement the run did not perform because the operator lacks its subject. */
export const NotApplicableSchema = z.strictObject({
  subject: z.string().min(1),
  reason: z.string().min(1),
});

/** Whether something outside the measured processes took the machine during the run. */
export const ContaminationSchema = z.strictObject({
  contaminated: z.boolean(),
  reasons: z.array(z.string()),
});

/** Why objects did not become Ready: statuses, the operator's log, restarts, what the mesh received. */
export const DiagnosisSchema = z.looseObject({
  lines: z.array(z.string()),
});

export const PhaseSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.string().min(1),
  /** Seconds since run start (preferred) or an ISO timestamp. */
  startedAt: z.union([runSeconds, isoTime]),
  finishedAt: z.union([runSeconds, isoTime]),
});

export const EventSchema = z.strictObject({
  t: runSeconds,
  kind: z.string().min(1),
  source: z.string().min(1),
  detail: z.union([z.string(), z.record(z.string(), z.unknown())]),
});

/** One point of the cost curve: resource use and any other metric at an object count. */
export const CheckpointSchema = z
  .object({
    objects: z.number().nonnegative(),
    operator_cpu_cores: z.number().optional(),
    operator_rss_bytes: z.number().optional(),
  })
  .catchall(z.number());

export const HotPathSchema = z.looseObject({
  function: z.string().min(1),
  module: z.string().optional(),
  url: z.string().optional(),
  selfPercent: z.number().optional(),
  totalPercent: z.number().optional(),
  selfSamples: z.number().optional(),
  totalSamples: z.number().optional(),
});

export const ProfileSchema = z.looseObject({ hotPaths: z.array(HotPathSchema).optional() });

export const ResultsSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  run: RunSchema,
  verdict: z.enum(["pass", "fail", "inconclusive"]),
  metrics: z.record(z.string().min(1), MetricSchema),
  thresholds: z.array(ThresholdSchema),
  phases: z.array(PhaseSchema),
  events: z.array(EventSchema),
  checkpoints: z.array(CheckpointSchema),
  coverage: z.strictObject({
    expected: z.number().int().nonnegative(),
    observed: z.number().int().nonnegative(),
  }),
  profile: ProfileSchema.optional(),
  notApplicable: z.array(NotApplicableSchema).optional(),
  contamination: ContaminationSchema.optional(),
  diagnosis: DiagnosisSchema.optional(),
});

export type Results = z.infer<typeof ResultsSchema>;
export type Metric = z.infer<typeof MetricSchema>;
export type DistributionMetric = z.infer<typeof DistributionMetricSchema>;
export type SeriesMetric = z.infer<typeof SeriesMetricSchema>;
export type CounterMetric = z.infer<typeof CounterMetricSchema>;
export type GaugeMetric = z.infer<typeof GaugeMetricSchema>;
export type Threshold = z.infer<typeof ThresholdSchema>;
export type ThresholdStatus = z.infer<typeof ThresholdStatusSchema>;
export type RunOperator = z.infer<typeof RunOperatorSchema>;
export type NotApplicable = z.infer<typeof NotApplicableSchema>;
export type Contamination = z.infer<typeof ContaminationSchema>;
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
export type Phase = z.infer<typeof PhaseSchema>;
export type RunEvent = z.infer<typeof EventSchema>;
export type Checkpoint = z.infer<typeof CheckpointSchema>;
export type HotPath = z.infer<typeof HotPathSchema>;

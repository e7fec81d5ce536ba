/** Scale-test knobs of the embedded control plane, validated (they come from flags and scenario files). */
import { z } from "zod";

export const EmbeddedKnobs = z.strictObject({
  /** kube-apiserver --max-requests-inflight (non-mutating requests in flight). */
  maxRequestsInflight: z.number().int().min(1).max(100_000).default(400),
  /** kube-apiserver --max-mutating-requests-inflight. */
  maxMutatingRequestsInflight: z.number().int().min(1).max(100_000).default(200),
  /** API Priority and Fairness; when off, the two in-flight limits above apply directly. */
  apiPriorityAndFairness: z.boolean().default(true),
  /** etcd --quota-backend-bytes. */
  etcdQuotaBytes: z
    .number()
    .int()
    .min(64 * 1024 * 1024)
    .max(8 * 1024 * 1024 * 1024)
    .default(2 * 1024 * 1024 * 1024),
  /** etcd --unsafe-no-fsync: faster on a laptop/CI disk; recorded in run metadata. */
  etcdUnsafeNoFsync: z.boolean().default(true),
  /**
   * GOGC of kube-apiserver and etcd. At Go's default (100) GC took 13 % of the apiserver's CPU
   * during a 1000-site burst on 2 cores. 400 took most of that back but made each cycle a burst:
   * every ~20 s under churn the apiserver marked a multi-GiB heap with assists, RSS tripled
   * (1.3 → 3.8 GiB) and churn's p99 doubled. 200 keeps the burst's gain with churn's tail near
   * Go's default. Recorded in run metadata; set 100 to measure with Go's default.
   */
  controlPlaneGoGC: z.number().int().min(10).max(10_000).default(200),
  /**
   * kube-apiserver --feature-gates, as that flag takes them: `CBORServingAndStorage=true` stores
   * custom resources as CBOR and serves it (alpha in v1.37). None by default: the figures are
   * measured with the gates a cluster of this version has. Recorded in run metadata like every knob.
   */
  apiserverFeatureGates: z
    .string()
    .regex(
      /^([A-Z][A-Za-z0-9]*=(true|false)(,[A-Z][A-Za-z0-9]*=(true|false))*)?$/,
      "Name=true|false pairs joined by commas, e.g. CBORServingAndStorage=true",
    )
    .default(""),
  /** Put etcd's data dir on tmpfs (/dev/shm) when it exists. */
  etcdOnTmpfs: z.boolean().default(true),
  /** Seconds to wait for each component to become healthy (k/k integration tests allow 60). */
  startTimeoutSeconds: z.number().min(1).max(600).default(60),
  /** Fixed ports, for users who must know them in advance; 0 = pick free ones. */
  apiserverPort: z.number().int().min(0).max(65535).default(0),
  etcdPort: z.number().int().min(0).max(65535).default(0),
});
export type EmbeddedKnobs = z.infer<typeof EmbeddedKnobs>;
export type EmbeddedKnobsInput = z.input<typeof EmbeddedKnobs>;

/**
 * The phase kinds a scenario runs, in order. Each is plain data (clusterloader2's "scenarios are
 * data"); harness/run/phases executes them.
 */
import { z } from "zod";
import {
  ApiFaultRequest,
  DegradeRequest,
  FailRequest,
  FlapRequest,
  RestoreRequest,
} from "../mesh/faults/schema.ts";
import { Duration } from "./duration.ts";

const PhaseName = z.string().min(1).max(63).optional();
/**
 * Whether the run may leave the phase out when the operator under test lacks what it uses (a
 * kind, leader election): true skips it, reported not applicable; false refuses the run; unset
 * derives it — optional unless the scenario's `requires` names what it uses.
 */
const Optional = z.boolean().optional();

/** Objects the load driver creates and changes. Paths are owned by the operator, never by us. */
export const ObjectKind = z.enum(["site", "policy"]);
export type ObjectKind = z.infer<typeof ObjectKind>;

export const ObjectTemplate = z.strictObject({
  /** Sites: WAN links per site (1–3); default: as the mesh model assigns. */
  links: z.number().int().min(1).max(3).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  /** Policies: traffic class, SLA and link preference. */
  class: z.string().optional(),
  sla: z
    .strictObject({
      maxLatencyMs: z.number().positive(),
      maxJitterMs: z.number().nonnegative(),
      maxLossPercent: z.number().min(0).max(100),
    })
    .optional(),
  preferredLinks: z
    .array(z.enum(["mpls", "internet", "lte"]))
    .min(1)
    .max(3)
    .optional(),
});
export type ObjectTemplate = z.infer<typeof ObjectTemplate>;

/** Relative weights of operations; kube-burner's churn mix. */
export const OperationMix = z
  .strictObject({
    create: z.number().nonnegative().default(0),
    update: z.number().nonnegative().default(1),
    delete: z.number().nonnegative().default(0),
  })
  .refine((m) => m.create + m.update + m.delete > 0, "at least one of create/update/delete must be > 0");
export type OperationMix = z.infer<typeof OperationMix>;

export const Stage = z.strictObject({ target: z.number().nonnegative(), duration: Duration });

export const Executor = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("constant-arrival-rate"),
    /** Iterations per timeUnit. */
    rate: z.number().positive(),
    timeUnit: Duration.default(1000),
    duration: Duration,
  }),
  z.strictObject({
    type: z.literal("ramping-arrival-rate"),
    startRate: z.number().nonnegative().default(0),
    timeUnit: Duration.default(1000),
    stages: z.array(Stage).min(1),
  }),
]);
export type Executor = z.infer<typeof Executor>;

/** Which replica (0-based) a kill, restart, pause or partition hits; "-leader" actions find the Lease holder. */
const Replica = z.number().int().nonnegative().default(0);

export const OperatorKill = z.strictObject({
  target: z.literal("operator"),
  action: z.enum(["kill-leader", "kill", "restart"]),
  signal: z.enum(["SIGKILL", "SIGTERM"]).default("SIGKILL"),
  replica: Replica,
});

/** SIGSTOP, then SIGCONT `duration` later: a long GC pause, a frozen VM. */
export const OperatorPause = z.strictObject({
  target: z.literal("operator"),
  action: z.enum(["pause-leader", "pause"]),
  replica: Replica,
  duration: Duration,
});

/**
 * One replica cut off from the apiserver or from the Patronus API for `duration` (the other
 * replicas and the harness still reach both): its link through a proxy of the harness drops
 * every packet, as a network partition does.
 */
export const OperatorPartition = z.strictObject({
  target: z.literal("operator"),
  action: z.enum(["partition-leader", "partition"]),
  replica: Replica,
  from: z.enum(["apiserver", "patronus-api"]),
  duration: Duration,
});

export const OperatorAction = z.discriminatedUnion("action", [
  OperatorKill,
  OperatorPause,
  OperatorPartition,
]);
export type OperatorAction = z.infer<typeof OperatorAction>;

/** restart: stop and start the component; pause: SIGSTOP it, SIGCONT `duration` later. */
export const ControlPlaneAction = z.discriminatedUnion("action", [
  z.strictObject({
    target: z.literal("controlplane"),
    action: z.literal("restart").default("restart"),
    component: z.enum(["kube-apiserver", "etcd"]),
  }),
  z.strictObject({
    target: z.literal("controlplane"),
    action: z.literal("pause"),
    component: z.enum(["kube-apiserver", "etcd"]),
    duration: Duration,
  }),
]);

/**
 * Any fault the mesh simulator's fault API knows, with its own request schema (so a bad target
 * or parameter is reported when the scenario loads, with its field path).
 */
const meshAction = <A extends string, R extends z.ZodType>(action: A, request: R) =>
  z.strictObject({
    target: z.literal("mesh"),
    action: z.literal(action),
    request,
    /** Restore the target after this long (fail/degrade); omit to leave the fault in place. */
    restoreAfter: Duration.optional(),
  });

export const MeshFault = z.discriminatedUnion("action", [
  meshAction("fail", FailRequest),
  meshAction("restore", RestoreRequest),
  meshAction("degrade", DegradeRequest),
  meshAction("flap", FlapRequest),
  meshAction("api", ApiFaultRequest),
  /** The simulator process frozen (SIGSTOP) for `duration`, then resumed. */
  z.strictObject({ target: z.literal("mesh"), action: z.literal("pause"), duration: Duration }),
]);
export type MeshFault = z.infer<typeof MeshFault>;

export const Injection = z.discriminatedUnion("target", [MeshFault, OperatorAction, ControlPlaneAction]);
export type Injection = z.infer<typeof Injection>;

/** An injection scheduled inside a running load/churn phase ("SIGKILL the leader during churn"). */
export const TimedInjection = z.strictObject({ after: Duration, inject: Injection, optional: Optional });

const LoadCommon = {
  object: ObjectKind.default("site"),
  mix: OperationMix.default({ create: 0, update: 1, delete: 0 }),
  template: ObjectTemplate.optional(),
  /** Requests allowed in flight; beyond it an arrival is dropped and counted (dropped_iterations). */
  maxInFlight: z.number().int().positive().default(100),
  during: z.array(TimedInjection).default([]),
};

export const CreatePhase = z.strictObject({
  kind: z.literal("create"),
  name: PhaseName,
  optional: Optional,
  object: ObjectKind.default("site"),
  count: z.number().int().positive(),
  /** Creations per second; omit for as fast as maxInFlight allows (a burst). */
  rate: z.number().positive().optional(),
  maxInFlight: z.number().int().positive().default(50),
  template: ObjectTemplate.optional(),
});

export const ChurnPhase = z.strictObject({
  kind: z.literal("churn"),
  name: PhaseName,
  optional: Optional,
  /** Share of the live objects touched per cycle. */
  percent: z.number().gt(0).max(100),
  cycles: z.number().int().positive(),
  /** Pause between cycles. */
  delay: Duration.default(0),
  /** Operations per second within a cycle. */
  rate: z.number().positive(),
  ...LoadCommon,
});

export const LoadPhase = z.strictObject({
  kind: z.literal("load"),
  name: PhaseName,
  optional: Optional,
  executor: Executor,
  /** Poisson arrivals (exponential gaps, same mean rate) instead of evenly spaced ones. */
  arrivals: z.enum(["uniform", "poisson"]).default("uniform"),
  ...LoadCommon,
});

export const WaitForPhase = z.strictObject({
  kind: z.literal("wait-for"),
  name: PhaseName,
  optional: Optional,
  /** ready: every live object of the kind is Ready with status caught up; gone: deleted ones are gone; paths: every Path of the mesh exists and reports state. */
  condition: z.enum(["ready", "gone", "paths"]),
  object: z.enum(["site", "policy", "path"]).default("site"),
  timeout: Duration.default(60_000),
});

export const InjectPhase = z.strictObject({
  kind: z.literal("inject"),
  name: PhaseName,
  optional: Optional,
  inject: Injection,
  /** Wait for the effect to be measured (e.g. failover convergence) up to this long. */
  settle: Duration.default(0),
});

export const SleepPhase = z.strictObject({
  kind: z.literal("sleep"),
  name: PhaseName,
  optional: Optional,
  duration: Duration,
});

export const HttpLoadPhase = z.strictObject({
  kind: z.literal("http-load"),
  name: PhaseName,
  optional: Optional,
  path: z.string().startsWith("/").default("/api/v1/sites?limit=50"),
  method: z.enum(["GET", "POST", "PUT", "DELETE"]).default("GET"),
  connections: z.number().int().positive().max(200).default(10),
  duration: Duration,
  /** Requests per second over all connections (autocannon's overallRate; connection-bound). */
  rate: z.number().positive().optional(),
});

export const Phase = z.discriminatedUnion("kind", [
  CreatePhase,
  ChurnPhase,
  LoadPhase,
  WaitForPhase,
  InjectPhase,
  SleepPhase,
  HttpLoadPhase,
]);
export type Phase = z.infer<typeof Phase>;
export type PhaseInput = z.input<typeof Phase>;
export type PhaseKind = Phase["kind"];

/** A phase's name in events, results and `{phase="…"}` labels: its own, or `<position>-<kind>`. */
export function phaseName(phase: Pick<Phase, "name" | "kind">, index: number): string {
  return phase.name ?? `${index + 1}-${phase.kind}`;
}

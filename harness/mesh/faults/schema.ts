/**
 * Fault-injection API (base /faults/v1, same bearer token as the Patronus API). Request and
 * response shapes, shared by the server and the typed client.
 */
import { z } from "zod";
import { Name } from "../../../contract/patronus-api/v1.ts";

export const FAULTS_BASE_PATH = "/faults/v1";

/**
 * Sent by the harness's measurements when they read the mesh's state through the Patronus API
 * (registered sites, held policies, programmed tunnels). They observe; the operator is the client
 * under test, so injected API faults and the per-token rate limit do not apply to these requests —
 * otherwise a run ending inside an outage could not say what the operator left undone.
 */
export const OBSERVER_HEADER = "x-patronus-observer";

const Duration = z.number().int().min(1).max(86_400_000);

export const FaultTarget = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("link"), site: Name, link: Name }),
  z.strictObject({ kind: z.literal("site"), site: Name }),
  /** A hub site; refused when the site is not a hub, so a scenario cannot fail the wrong thing. */
  z.strictObject({ kind: z.literal("hub"), site: Name }),
  z.strictObject({ kind: z.literal("region"), region: Name }),
]);
export type FaultTarget = z.infer<typeof FaultTarget>;

/** POST /faults/v1/fail: the target's links go down (until restored, or for durationMs). */
export const FailRequest = z.strictObject({ target: FaultTarget, durationMs: Duration.optional() });
export type FailRequest = z.infer<typeof FailRequest>;

/** POST /faults/v1/restore: clears every fail/degrade/flap fault on exactly this target. */
export const RestoreRequest = z.strictObject({ target: FaultTarget });
export type RestoreRequest = z.infer<typeof RestoreRequest>;

/** POST /faults/v1/degrade: adds to each of the target's links. */
export const DegradeRequest = z
  .strictObject({
    target: FaultTarget,
    addLatencyMs: z.number().min(0).max(10_000).default(0),
    addJitterMs: z.number().min(0).max(10_000).default(0),
    addLossPercent: z.number().min(0).max(100).default(0),
    durationMs: Duration.optional(),
  })
  .refine((d) => d.addLatencyMs > 0 || d.addJitterMs > 0 || d.addLossPercent > 0, {
    message: "set at least one of addLatencyMs, addJitterMs, addLossPercent above 0",
    path: ["addLatencyMs"],
  });
export type DegradeRequest = z.input<typeof DegradeRequest>;

/** POST /faults/v1/flap: down for periodMs/2, up for periodMs/2, `count` times. */
export const FlapRequest = z.strictObject({
  target: FaultTarget,
  periodMs: z.number().int().min(20).max(3_600_000),
  count: z.number().int().min(1).max(1000),
});
export type FlapRequest = z.infer<typeof FlapRequest>;

/** POST /faults/v1/api: faults of the Patronus API itself (not of the fault API). */
export const ApiFaultRequest = z.discriminatedUnion("kind", [
  /** Every /api/v1 call answers 503 with Retry-After for the window. */
  z.strictObject({ kind: z.literal("unavailable"), durationMs: Duration }),
  /** Every /api/v1 response is delayed by latencyMs for the window. */
  z.strictObject({
    kind: z.literal("latency"),
    latencyMs: z.number().int().min(1).max(60_000),
    durationMs: Duration,
  }),
  /** /api/v1 connections are reset (TCP RST) for the window, or for the next `count` requests. */
  z
    .strictObject({
      kind: z.literal("reset"),
      durationMs: Duration.optional(),
      count: z.number().int().min(1).max(1_000_000).optional(),
    })
    .refine((r) => r.durationMs !== undefined || r.count !== undefined, {
      message: "set durationMs or count",
      path: ["durationMs"],
    }),
  /** Open telemetry streams are cut now; new ones get 503 for refuseMs (default 0). */
  z.strictObject({
    kind: z.literal("drop-stream"),
    refuseMs: z.number().int().min(0).max(86_400_000).default(0),
  }),
  /**
   * One caller cut off from the Patronus API for durationMs (a network partition between one
   * operator replica and the API); every other caller is served as before. The caller is the name
   * in its `/c/<caller>` URL prefix (or its X-Patronus-Caller header).
   *
   * - `blackhole` (default): what a partition that drops packets looks like to an HTTP client. Its
   *   requests get no answer and no error: each is held until the client gives up (its own
   *   timeout; counted as aborted, never served) or the partition heals — then it is served, late,
   *   as a retransmitted request would be. The write lands after the heal, which is the hazard a
   *   partition creates for a replica that lost its lease meanwhile.
   * - `reset`: the connection is reset (TCP RST) at once, what a middlebox rejecting the flow or
   *   a route withdrawn with an ICMP error looks like: the client gets a connection error at once.
   *
   * Requests from the caller are counted in `patronus_api_partitioned_total{caller}`; the fault
   * ends by itself after durationMs, or earlier with DELETE /faults/v1/faults/{id} or POST /clear.
   * New partition of a caller already cut off replaces the old one (requests held stay held).
   */
  z.strictObject({
    kind: z.literal("partition"),
    caller: z
      .string()
      .regex(
        /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/,
        "must be a caller name: 1–63 letters, digits, '.', '-' or '_'",
      ),
    durationMs: Duration,
    mode: z.enum(["blackhole", "reset"]).default("blackhole"),
  }),
]);
export type ApiFaultRequest = z.input<typeof ApiFaultRequest>;

export const FaultKind = z.enum([
  "fail",
  "degrade",
  "flap",
  "api-unavailable",
  "api-latency",
  "api-reset",
  "drop-stream",
  "api-partition",
]);
export type FaultKind = z.infer<typeof FaultKind>;

export const Fault = z.strictObject({
  id: z.string(),
  kind: FaultKind,
  target: FaultTarget.optional(),
  /** The request as accepted (defaults filled in). */
  params: z.record(z.string(), z.unknown()),
  injectedAt: z.string(),
  expiresAt: z.string().optional(),
  /** Tunnels programmed over the affected links when injected. */
  affectedTunnels: z.number().int().nonnegative(),
});
export type Fault = z.infer<typeof Fault>;

export const FaultList = z.strictObject({ faults: z.array(Fault) });
export const RestoreResult = z.strictObject({ cleared: z.array(z.string()) });

export const MeshEventSchema = z.strictObject({
  seq: z.number().int(),
  at: z.string(),
  atMs: z.number(),
  kind: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
/** GET /events?since=&kinds=a,b&limit= */
export const EventPage = z.strictObject({
  events: z.array(MeshEventSchema),
  /** Pass as `since` for the next page. */
  lastSeq: z.number().int(),
  /** Older events than this were dropped from the bounded log. */
  firstSeq: z.number().int(),
});
export type EventPage = z.infer<typeof EventPage>;

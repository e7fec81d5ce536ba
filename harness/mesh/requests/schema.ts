/**
 * The request log's shapes (GET /requests on the simulator's control side, same bearer token as
 * the fault API, not rate limited): one entry per Patronus API request from a client under test,
 * attributed to its caller. The harness reads it to say who wrote what when (split brain, storms).
 */
import { z } from "zod";

export const REQUESTS_PATH = "/requests";

export const RequestOutcome = z.enum([
  /** A response went out (any status). */
  "answered",
  /** The client hung up before the answer (its timeout, or a cancelled call). */
  "aborted",
  /** The simulator reset the connection (a reset fault, or a partition in reset mode). */
  "reset",
]);
export type RequestOutcome = z.infer<typeof RequestOutcome>;

export const RequestLogEntry = z.strictObject({
  /**
   * Dense sequence number in order of completion (a held or slow request is logged when it ends);
   * pass the last one seen as `since`. `atMs` is when it arrived.
   */
  seq: z.number().int().min(1),
  /** When the request arrived, ms since the Unix epoch. */
  atMs: z.number(),
  caller: z.string(),
  method: z.string(),
  /** The route template, e.g. /api/v1/sites/:name ("unmatched" for an unknown path). */
  route: z.string(),
  /** The object the request names (the route's :name or :id), or null. */
  name: z.string().nullable(),
  /** The status sent; 0 when none was (aborted, reset). */
  status: z.number().int(),
  durationMs: z.number(),
  outcome: RequestOutcome,
  /** How long a partition held the request before it was served or given up (absent: not held). */
  heldMs: z.number().optional(),
});
export type RequestLogEntry = z.infer<typeof RequestLogEntry>;

export const RequestPage = z.strictObject({
  requests: z.array(RequestLogEntry),
  /** Pass as `since` for the next page. */
  lastSeq: z.number().int(),
  /** Older entries than this were dropped from the bounded log. */
  firstSeq: z.number().int(),
  /** Entries dropped from the log since the simulator started (the bound was reached). */
  dropped: z.number().int(),
});
export type RequestPage = z.infer<typeof RequestPage>;

export const RequestQuery = z.strictObject({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  /** Only this caller's requests. */
  caller: z.string().min(1).optional(),
});

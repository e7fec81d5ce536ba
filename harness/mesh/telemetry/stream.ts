/**
 * GET /api/v1/telemetry/stream: Server-Sent Events. With a valid cursor (`?cursor=` or
 * Last-Event-ID) the client gets every update after it — no gap, no duplicate; without one, or
 * with one outside the retained window, it first gets a `snapshot` event. Replay and subscription
 * happen in the same synchronous turn, so no update can fall between them.
 */

import type { TelemetrySnapshot } from "../../../contract/patronus-api/v1.ts";
import type { EventLog } from "../events/log.ts";
import { HttpError, type RequestContext } from "../server/router.ts";
import type { TelemetryPublisher } from "./publisher.ts";

/** What serves a stream: a replica's engine, or the shard router's merged view. */
export interface TelemetrySource {
  publisher: TelemetryPublisher;
  snapshot(): TelemetrySnapshot;
  events: EventLog;
  keepaliveMs: number;
  /** Until when new streams are refused (a drop-stream fault), ms since the epoch. */
  streamRefusedUntil(): number;
}

function parseCursor(raw: string | string[] | null | undefined): number | undefined {
  if (typeof raw !== "string" || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

export function handleTelemetryStream(ctx: RequestContext, sim: TelemetrySource): undefined {
  const { req, res, url } = ctx;
  const now = Date.now();
  const refusedUntil = sim.streamRefusedUntil();
  if (now < refusedUntil) {
    throw new HttpError(503, "unavailable", "telemetry stream unavailable (injected fault)", {
      headers: { "retry-after": String(Math.max(1, Math.ceil((refusedUntil - now) / 1000))) },
    });
  }
  const requested = parseCursor(url.searchParams.get("cursor") ?? req.headers["last-event-id"]);
  const replay = requested === undefined ? undefined : sim.publisher.framesAfter(requested);
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  res.write("retry: 1000\n\n");
  if (replay) {
    for (const frame of replay) res.write(frame);
  } else {
    const snap = sim.snapshot();
    res.write(`id: ${snap.cursor}\nevent: snapshot\ndata: ${JSON.stringify(snap)}\n\n`);
  }
  const sub = { res, connectedAt: now };
  sim.publisher.add(sub);
  const keepalive = setInterval(() => sim.publisher.send(sub, ": keepalive\n\n"), sim.keepaliveMs);
  sim.events.record("telemetry.stream", {
    action: "connected",
    requestedCursor: requested ?? null,
    resumed: replay !== undefined,
    replayed: replay?.length ?? 0,
    cursor: sim.publisher.cursor,
  });
  res.once("close", () => {
    clearInterval(keepalive);
    sim.events.record("telemetry.stream", { action: "closed", cursor: sim.publisher.cursor });
  });
  return undefined;
}

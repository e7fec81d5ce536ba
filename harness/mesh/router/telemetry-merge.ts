/**
 * One telemetry view over all shards. Each shard's stream (snapshot, then updates with the
 * shard's own cursor) is folded into the union of tunnels; every change leaves as an update with
 * the router's cursor, published through the same resumable window a single simulator uses. A
 * router cursor therefore stands for a vector of shard cursors (kept per frame, so the router
 * resumes each shard where it left off and translates shard cursors in the event log).
 *
 * A shard's snapshot after a reconnect the shard could not resume is diffed against what that
 * shard had contributed: clients see an ordinary update (changes and removals), never a gap.
 */
import { isDeepStrictEqual } from "node:util";
import type {
  TelemetrySnapshot,
  TelemetryUpdate,
  TunnelTelemetry,
} from "../../../contract/patronus-api/v1.ts";
import { TelemetryPublisher } from "../telemetry/publisher.ts";

/** Shard cursor → router cursor, kept for the most recent frames only. */
const CURSOR_MAP_LIMIT = 10_000;

export class TelemetryMerge {
  readonly publisher: TelemetryPublisher;
  private readonly state = new Map<string, TunnelTelemetry>();
  private readonly byShard: Set<string>[];
  /** Last cursor seen from each shard (undefined until its first snapshot). */
  readonly shardCursors: (number | undefined)[];
  private readonly cursorMaps: Map<number, number>[];

  constructor(shards: number, retain: { frames: number; bytes: number }) {
    this.publisher = new TelemetryPublisher({
      retainFrames: retain.frames,
      retainBytes: retain.bytes,
      maxBufferedBytes: 16 * 1024 * 1024,
    });
    this.byShard = Array.from({ length: shards }, () => new Set<string>());
    this.shardCursors = Array.from({ length: shards }, () => undefined);
    this.cursorMaps = Array.from({ length: shards }, () => new Map<number, number>());
  }

  get ready(): boolean {
    return this.shardCursors.every((c) => c !== undefined);
  }

  get size(): number {
    return this.state.size;
  }

  /** A shard's full state: replaces what it contributed; publishes the difference, if any. */
  applySnapshot(shard: number, snap: TelemetrySnapshot): number | undefined {
    const mine = this.byShard[shard]!;
    const next = new Set(snap.tunnels.map((t) => t.id));
    const removed = [...mine].filter((id) => !next.has(id));
    const changed = snap.tunnels.filter((t) => !sameSample(this.state.get(t.id), t));
    this.shardCursors[shard] = snap.cursor;
    return this.apply(shard, snap.cursor, changed, removed);
  }

  applyUpdate(shard: number, update: TelemetryUpdate): number | undefined {
    this.shardCursors[shard] = update.cursor;
    return this.apply(shard, update.cursor, update.tunnels, update.removed ?? []);
  }

  /** The router cursor a shard's cursor was published under, when still remembered. */
  routerCursorOf(shard: number, shardCursor: number): number | undefined {
    return this.cursorMaps[shard]?.get(shardCursor);
  }

  snapshot(nowMs = Date.now()): TelemetrySnapshot {
    const at = new Date(nowMs).toISOString();
    const tunnels: TunnelTelemetry[] = [];
    for (const t of this.state.values()) tunnels.push({ ...t, at });
    return { cursor: this.publisher.cursor, tunnels };
  }

  private apply(
    shard: number,
    shardCursor: number,
    tunnels: readonly TunnelTelemetry[],
    removed: readonly string[],
  ): number | undefined {
    const mine = this.byShard[shard]!;
    for (const id of removed) {
      mine.delete(id);
      this.state.delete(id);
    }
    for (const t of tunnels) {
      mine.add(t.id);
      this.state.set(t.id, t);
    }
    if (tunnels.length === 0 && removed.length === 0) return undefined;
    const cursor = this.publisher.publish((c) => {
      const data: TelemetryUpdate = {
        cursor: c,
        tunnels: [...tunnels],
        ...(removed.length ? { removed: [...removed] } : {}),
      };
      return `id: ${c}\nevent: update\ndata: ${JSON.stringify(data)}\n\n`;
    });
    const map = this.cursorMaps[shard]!;
    map.set(shardCursor, cursor);
    if (map.size > CURSOR_MAP_LIMIT) map.delete(map.keys().next().value!);
    return cursor;
  }
}

function sameSample(a: TunnelTelemetry | undefined, b: TunnelTelemetry): boolean {
  if (!a) return false;
  const { at: _a, ...x } = a;
  const { at: _b, ...y } = b;
  return isDeepStrictEqual(x, y);
}

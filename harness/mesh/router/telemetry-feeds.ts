/**
 * The router's subscription to every shard's telemetry stream: one SSE connection per shard,
 * parsed with eventsource-parser, validated with the contract's schemas, folded into the
 * TelemetryMerge. A dropped connection is resumed from the shard's last cursor (the shard replays
 * what was missed, or sends a snapshot the merge diffs), so clients of the router see no gap.
 */
import { createParser } from "eventsource-parser";
import { TelemetrySnapshot, TelemetryUpdate } from "../../../contract/patronus-api/v1.ts";
import type { TelemetryMerge } from "./telemetry-merge.ts";
import type { ReplicaClient } from "./upstream.ts";

const RECONNECT_MS = 250;

export class TelemetryFeeds {
  private readonly replicas: readonly ReplicaClient[];
  private readonly merge: TelemetryMerge;
  private readonly onError: (message: string) => void;
  private readonly controllers = new Set<AbortController>();
  private stopped = false;
  private readonly failing = new Set<number>();
  private readyWaiters: (() => void)[] = [];

  constructor(replicas: readonly ReplicaClient[], merge: TelemetryMerge, onError: (message: string) => void) {
    this.replicas = replicas;
    this.merge = merge;
    this.onError = onError;
  }

  start(): void {
    for (const r of this.replicas) void this.follow(r);
  }

  /** Resolves once every shard's first snapshot is merged. */
  ready(timeoutMs: number): Promise<void> {
    if (this.merge.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not every mesh shard streamed telemetry within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.controllers) c.abort();
  }

  private async follow(r: ReplicaClient): Promise<void> {
    const failing = this.failing;
    while (!this.stopped) {
      const controller = new AbortController();
      this.controllers.add(controller);
      try {
        await this.readOnce(r, controller.signal);
      } catch (err) {
        // Once per outage, not once per retry: a replica down for a minute is one line.
        if (!this.stopped && !failing.has(r.index)) {
          failing.add(r.index);
          this.onError(`telemetry stream of shard ${r.index}: ${(err as Error).message} (retrying)`);
        }
      } finally {
        this.controllers.delete(controller);
      }
      if (!this.stopped) await new Promise((res) => setTimeout(res, RECONNECT_MS));
    }
  }

  private async readOnce(r: ReplicaClient, signal: AbortSignal): Promise<void> {
    const cursor = this.merge.shardCursors[r.index];
    const res = await r.pool.request({
      method: "GET",
      path: `/api/v1/telemetry/stream${cursor === undefined ? "" : `?cursor=${cursor}`}`,
      headers: r.headers,
      signal,
      bodyTimeout: 0,
      headersTimeout: 30_000,
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`HTTP ${res.statusCode}`);
    }
    if (this.failing.delete(r.index)) this.onError(`telemetry stream of shard ${r.index}: resumed`);
    const parser = createParser({
      onEvent: (e) => {
        if (e.event === "snapshot")
          this.merge.applySnapshot(r.index, TelemetrySnapshot.parse(JSON.parse(e.data)));
        else if (e.event === "update")
          this.merge.applyUpdate(r.index, TelemetryUpdate.parse(JSON.parse(e.data)));
        if (this.merge.ready && this.readyWaiters.length > 0) {
          for (const w of this.readyWaiters.splice(0)) w();
        }
      },
    });
    res.body.setEncoding("utf8");
    for await (const chunk of res.body) parser.feed(chunk as string);
    throw new Error("stream ended");
  }
}

/**
 * The Patronus telemetry stream (GET /telemetry/stream, Server-Sent Events) with reconnect and
 * resume: the last cursor seen is sent back (?cursor=N) so no change is missed or repeated; when
 * the API no longer retains it, it answers with a full `snapshot` first. A connection that stays
 * silent past the keepalive interval is treated as dead. Reconnects back off with jitter.
 */
import { createParser } from "eventsource-parser";
import type { Logger } from "pino";
import { Agent, fetch } from "undici";
import {
  API_BASE_PATH,
  TelemetrySnapshot,
  TelemetryUpdate,
  type TunnelTelemetry,
} from "../../contract/patronus-api/v1.ts";
import { sleep } from "../runtime/ratelimit/token-bucket.ts";
import { backoffDelay } from "./backoff.ts";
import type { PatronusMetrics } from "./metrics.ts";

export interface TelemetryListener {
  /** A full picture: tunnels not listed have no telemetry. */
  snapshot(tunnels: readonly TunnelTelemetry[]): void;
  /** Changed tunnels, and the ids of tunnels the API no longer models (apply those first). */
  update(tunnels: readonly TunnelTelemetry[], removed: readonly string[]): void;
}

export interface TelemetryStreamOptions {
  baseUrl: string;
  authorization: string;
  listener: TelemetryListener;
  metrics: PatronusMetrics;
  logger: Logger;
  /** The API sends a keepalive every 15 s; three missed ones mean the connection is dead. */
  idleTimeoutMs?: number;
  backoff?: { baseMs: number; maxMs: number };
}

export class TelemetryStream {
  private readonly o: TelemetryStreamOptions;
  private readonly stopCtrl = new AbortController();
  private readonly agent = new Agent({ connections: 1, bodyTimeout: 0 });
  private cursorValue: number | undefined;
  private loop: Promise<void> | undefined;
  private connectedValue = false;

  constructor(options: TelemetryStreamOptions) {
    this.o = options;
  }

  get cursor(): number | undefined {
    return this.cursorValue;
  }

  get connected(): boolean {
    return this.connectedValue;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopCtrl.abort(new Error("telemetry stream stopped"));
    await this.loop;
    await this.agent.close().catch(() => {});
  }

  private async run(): Promise<void> {
    const backoff = this.o.backoff ?? { baseMs: 500, maxMs: 30_000 };
    let failures = 0;
    while (!this.stopCtrl.signal.aborted) {
      let reason: string;
      try {
        const gotEvents = await this.connectOnce();
        reason = "ended";
        failures = gotEvents ? 0 : failures + 1;
      } catch (err) {
        if (this.stopCtrl.signal.aborted) break;
        failures++;
        reason = err instanceof Error && err.name === "IdleTimeout" ? "idle" : "error";
        this.o.logger.warn(
          { err: String(err), cursor: this.cursorValue, failures },
          "telemetry stream failed",
        );
      } finally {
        this.setConnected(false);
      }
      if (this.stopCtrl.signal.aborted) break;
      this.o.metrics.streamReconnects.inc({ reason });
      // Always at least a little pause, so a server that closes at once is not hammered.
      const delay = Math.max(backoff.baseMs / 2, backoffDelay(failures, backoff));
      await sleep(delay, this.stopCtrl.signal).catch(() => {});
    }
  }

  /** One connection; resolves when the server ends it, rejects on errors. True when events arrived. */
  private async connectOnce(): Promise<boolean> {
    const url = new URL(`${this.o.baseUrl.replace(/\/$/, "")}${API_BASE_PATH}/telemetry/stream`);
    if (this.cursorValue !== undefined) url.searchParams.set("cursor", String(this.cursorValue));
    const conn = new AbortController();
    const onStop = () => conn.abort(this.stopCtrl.signal.reason);
    this.stopCtrl.signal.addEventListener("abort", onStop, { once: true });
    const idleMs = this.o.idleTimeoutMs ?? 45_000;
    let lastData = performance.now();
    // One coarse interval per stream (not a timer reset per chunk).
    const watchdog = setInterval(
      () => {
        if (performance.now() - lastData > idleMs) {
          const e = new Error(`no data for ${idleMs} ms`);
          e.name = "IdleTimeout";
          conn.abort(e);
        }
      },
      Math.min(5000, idleMs / 3),
    );
    watchdog.unref();
    let events = 0;
    try {
      const res = await fetch(url, {
        headers: { authorization: this.o.authorization, accept: "text/event-stream" },
        dispatcher: this.agent,
        signal: conn.signal,
      });
      if (res.status !== 200 || !res.body) {
        const text = await res.text().catch(() => "");
        throw new Error(`telemetry stream: HTTP ${res.status} ${text.slice(0, 200)}`);
      }
      this.setConnected(true);
      const parser = createParser({
        onEvent: (ev) => {
          events++;
          this.handle(ev.event ?? "message", ev.data, ev.id);
        },
      });
      const decoder = new TextDecoder();
      for await (const chunk of res.body) {
        lastData = performance.now();
        parser.feed(decoder.decode(chunk, { stream: true }));
      }
      return events > 0;
    } catch (err) {
      if (
        conn.signal.aborted &&
        conn.signal.reason instanceof Error &&
        conn.signal.reason.name === "IdleTimeout"
      ) {
        throw conn.signal.reason;
      }
      throw err;
    } finally {
      clearInterval(watchdog);
      this.stopCtrl.signal.removeEventListener("abort", onStop);
    }
  }

  private handle(type: string, data: string, id: string | undefined): void {
    this.o.metrics.streamEvents.inc({ type });
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.o.logger.warn({ type }, "telemetry event is not JSON; skipped");
      return;
    }
    if (type === "snapshot") {
      const snap = TelemetrySnapshot.safeParse(json);
      if (!snap.success) {
        this.o.logger.warn(
          { issue: snap.error.issues[0] },
          "telemetry snapshot does not match the contract; skipped",
        );
        return;
      }
      this.cursorValue = snap.data.cursor;
      this.o.metrics.samples.inc(snap.data.tunnels.length);
      this.o.listener.snapshot(snap.data.tunnels);
      return;
    }
    if (type === "update") {
      const upd = TelemetryUpdate.safeParse(json);
      if (!upd.success) {
        this.o.logger.warn(
          { issue: upd.error.issues[0] },
          "telemetry update does not match the contract; skipped",
        );
        return;
      }
      this.cursorValue = upd.data.cursor;
      this.o.metrics.samples.inc(upd.data.tunnels.length);
      this.o.listener.update(upd.data.tunnels, upd.data.removed ?? []);
      return;
    }
    if (id !== undefined && /^\d+$/.test(id)) this.cursorValue = Number(id);
  }

  private setConnected(v: boolean): void {
    this.connectedValue = v;
    this.o.metrics.streamConnected.set(v ? 1 : 0);
  }
}

/**
 * The telemetry tick: evaluate every link, then every modelled tunnel, publish only what changed.
 * Ticks are aligned to the simulator's epoch and the model is evaluated at the integer tick index,
 * so values are a function of (seed, tick) no matter when a tick actually fires. Fault changes and
 * registrations trigger an immediate (coalesced) evaluation so a failure is visible at once, not
 * at the next tick.
 */
import type { TelemetrySnapshot } from "../../../contract/patronus-api/v1.ts";
import type { EventLog } from "../events/log.ts";
import type { LinkTable } from "../model/link-table.ts";
import { STATE_DEGRADED, STATE_DOWN, STATE_NAMES, STATE_NONE, STATE_UP } from "../model/tunnel-model.ts";
import type { TunnelTable } from "../model/tunnel-table.ts";
import type { TelemetryPublisher } from "./publisher.ts";

export interface StateChange {
  id: string;
  previous: number;
  state: number;
}

export interface EngineOptions {
  tickMs: number;
  epochMs: number;
  eventProbability: number;
  onStateChanges?: (changes: StateChange[], atMs: number) => void;
}

const EVENT_ID_LIMIT = 200;
const round2 = (x: number) => Math.round(x * 100) / 100;

export class TelemetryEngine {
  private readonly links: LinkTable;
  private readonly tunnels: TunnelTable;
  private readonly publisher: TelemetryPublisher;
  private readonly events: EventLog;
  private readonly options: EngineOptions;
  private changed = new Int32Array(1024);
  private previous = new Uint8Array(1024);
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running = false;
  ticks = 0;
  lastTickDurationMs = 0;
  totalEvaluateMs = 0;

  constructor(
    links: LinkTable,
    tunnels: TunnelTable,
    publisher: TelemetryPublisher,
    events: EventLog,
    options: EngineOptions,
  ) {
    this.links = links;
    this.tunnels = tunnels;
    this.publisher = publisher;
    this.events = events;
    this.options = options;
  }

  get epochMs(): number {
    return this.options.epochMs;
  }

  tickIndexAt(nowMs: number): number {
    return Math.floor((nowMs - this.options.epochMs) / this.options.tickMs);
  }

  start(): void {
    this.running = true;
    this.evaluate();
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
  }

  /** Coalesces many changes in one turn of the event loop into one evaluation. */
  requestEvaluation(): void {
    if (this.immediate || !this.running) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.evaluate();
    });
  }

  private schedule(): void {
    if (!this.running) return;
    const now = Date.now();
    const next = this.options.epochMs + (this.tickIndexAt(now) + 1) * this.options.tickMs;
    this.timer = setTimeout(() => {
      this.ticks++;
      this.evaluate();
      this.schedule();
    }, next - now);
  }

  /** Evaluates the model at the current tick and publishes the changes; returns how many. */
  evaluate(nowMs = Date.now()): number {
    const started = performance.now();
    const tick = this.tickIndexAt(nowMs);
    this.links.evaluate(tick, this.options.eventProbability);
    if (this.changed.length < this.tunnels.slotLimit) {
      this.changed = new Int32Array(this.tunnels.slotLimit * 2);
      this.previous = new Uint8Array(this.tunnels.slotLimit * 2);
    }
    const n = this.tunnels.evaluate(this.links, this.changed, this.previous);
    const removed = this.tunnels.pendingRemovals.size > 0 ? this.tunnels.takeRemovals() : [];
    if (n > 0 || removed.length > 0) this.publish(n, removed, nowMs);
    this.lastTickDurationMs = performance.now() - started;
    this.totalEvaluateMs += this.lastTickDurationMs;
    return n;
  }

  private publish(n: number, removed: string[], nowMs: number): void {
    const t = this.tunnels;
    // Shadow tunnels (modelled for another shard's routing) change state here but are not streamed.
    const stateChanges: StateChange[] = [];
    let streamed = 0;
    for (let i = 0; i < n; i++) {
      const s = this.changed[i]!;
      const state = t.pubState[s]!;
      if (state !== this.previous[i])
        stateChanges.push({ id: t.tunnels[s]!.id, previous: this.previous[i]!, state });
      if (t.streamed[s] === 1) {
        this.changed[streamed] = s;
        this.previous[streamed++] = this.previous[i]!;
      }
    }
    const transitions = stateChanges.filter((c) => c.previous !== STATE_NONE);
    if (streamed === 0 && removed.length === 0) {
      if (transitions.length > 0) this.options.onStateChanges?.(transitions, nowMs);
      return;
    }
    const at = JSON.stringify(new Date(nowMs).toISOString());
    const cursor = this.publisher.publish((c) => {
      const parts: string[] = new Array(streamed);
      for (let i = 0; i < streamed; i++) {
        const s = this.changed[i]!;
        const state = t.pubState[s]!;
        const id = t.tunnels[s]!.id;
        parts[i] =
          `{"id":${JSON.stringify(id)},"latencyMs":${round2(t.pubLat[s]!)},"jitterMs":${round2(t.pubJit[s]!)},` +
          `"lossPercent":${round2(t.pubLoss[s]!)},"state":"${STATE_NAMES[state]}","at":${at}}`;
      }
      const removedPart = removed.length > 0 ? `,"removed":${JSON.stringify(removed)}` : "";
      return `id: ${c}\nevent: update\ndata: {"cursor":${c},"tunnels":[${parts.join(",")}]${removedPart}}\n\n`;
    });
    const published = transitions.filter((c) => t.streamed[t.slotOf(c.id)] === 1);
    if (published.length > 0 || removed.length > 0) {
      const pick = (code: number) => published.filter((c) => c.state === code).map((c) => c.id);
      const down = pick(STATE_DOWN);
      const degraded = pick(STATE_DEGRADED);
      const up = pick(STATE_UP);
      this.events.record(
        "tunnels.state",
        {
          cursor,
          counts: { down: down.length, degraded: degraded.length, up: up.length, removed: removed.length },
          down: down.slice(0, EVENT_ID_LIMIT),
          degraded: degraded.slice(0, EVENT_ID_LIMIT),
          up: up.slice(0, EVENT_ID_LIMIT),
        },
        nowMs,
      );
      this.events.record(
        "telemetry.emitted",
        { cursor, tunnels: streamed, removed: removed.length, subscribers: this.publisher.subscribers.size },
        nowMs,
      );
    }
    if (transitions.length > 0) this.options.onStateChanges?.(transitions, nowMs);
  }

  snapshot(nowMs = Date.now()): TelemetrySnapshot {
    const at = new Date(nowMs).toISOString();
    const t = this.tunnels;
    const tunnels: TelemetrySnapshot["tunnels"] = [];
    for (let s = 0; s < t.slotLimit; s++) {
      const state = STATE_NAMES[t.pubState[s]!];
      if (t.streamed[s] === 0 || !state) continue;
      tunnels.push({
        id: t.tunnels[s]!.id,
        latencyMs: round2(t.pubLat[s]!),
        jitterMs: round2(t.pubJit[s]!),
        lossPercent: round2(t.pubLoss[s]!),
        state,
        at,
      });
    }
    return { cursor: this.publisher.cursor, tunnels };
  }
}

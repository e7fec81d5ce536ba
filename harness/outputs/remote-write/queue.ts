/**
 * The bounded send queue of a remote-write sink. push() never waits: beyond `capacity` samples
 * waiting, new samples are dropped and counted. A background pump sends batches in order; a
 * batch that fails to arrive (network error, 5xx, 429) is retried with exponential backoff, one
 * the receiver refuses outright (other 4xx) is dropped and counted. close() gives the pump a
 * deadline; what is still queued then is dropped and counted.
 *
 * Credentials in the URL (`https://user:token@host/api/prom/push`, as hosted Prometheus services
 * hand them out) are sent as HTTP basic auth, never as part of the URL, and never shown:
 * `redactedUrl` is what summaries and results.json name.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { encodeWriteRequest, REMOTE_WRITE_HEADERS, type TimeSeries } from "./protocol.ts";

export interface QueueOptions {
  capacity?: number;
  batchSize?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
}

/** One sample of one series, as queued. */
interface Entry {
  key: string;
  labels: TimeSeries["labels"];
  value: number;
  timestamp: number;
}

class Refused extends Error {}

/** The URL without its credentials, and the Authorization header they make. */
export function splitCredentials(url: string): { url: string; authorization?: string } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url };
  const basic = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  u.username = "";
  u.password = "";
  return { url: u.toString(), authorization: `Basic ${Buffer.from(basic).toString("base64")}` };
}

/** The URL as it may be shown: its password replaced. */
export function redactedUrl(url: string): string {
  const u = new URL(url);
  if (!u.password) return url;
  u.password = "***";
  return u.toString();
}

export class RemoteWriteQueue {
  /** Without credentials (they go in `authorization`). */
  readonly url: string;
  private readonly authorization: string | undefined;
  sent = 0;
  dropped = 0;
  lastError: string | undefined;
  private readonly entries: Entry[] = [];
  private readonly capacity: number;
  private readonly batchSize: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly requestTimeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly closing = new AbortController();
  private pumping: Promise<void> | undefined;

  constructor(url: string, options: QueueOptions = {}) {
    const split = splitCredentials(url);
    this.url = split.url;
    this.authorization = split.authorization;
    this.capacity = options.capacity ?? 100_000;
    this.batchSize = options.batchSize ?? 2_000;
    this.initialBackoffMs = options.initialBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.fetch = options.fetch ?? fetch;
  }

  get queued(): number {
    return this.entries.length;
  }

  /** Queues each series' samples and wakes the pump. */
  push(series: readonly TimeSeries[]): void {
    for (const s of series) {
      const key = s.labels.map((l) => `${l.name}=${l.value}`).join(",");
      for (const sample of s.samples) {
        if (this.closing.signal.aborted || this.entries.length >= this.capacity) {
          this.dropped++;
          continue;
        }
        this.entries.push({ key, labels: s.labels, value: sample.value, timestamp: sample.timestamp });
      }
    }
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
    });
  }

  private async pump(): Promise<void> {
    let backoff = this.initialBackoffMs;
    while (this.entries.length > 0 && !this.closing.signal.aborted) {
      const batch = this.entries.slice(0, this.batchSize);
      try {
        await this.post(batch);
        this.entries.splice(0, batch.length);
        this.sent += batch.length;
        backoff = this.initialBackoffMs;
      } catch (err) {
        this.lastError = (err as Error).message;
        if (err instanceof Refused) {
          this.entries.splice(0, batch.length);
          this.dropped += batch.length;
          continue;
        }
        if (this.closing.signal.aborted) break;
        await sleep(backoff, undefined, { signal: this.closing.signal }).catch(() => undefined);
        backoff = Math.min(backoff * 2, this.maxBackoffMs);
      }
    }
  }

  private async post(batch: readonly Entry[]): Promise<void> {
    const byKey = new Map<string, TimeSeries>();
    for (const e of batch) {
      let s = byKey.get(e.key);
      if (!s) {
        s = { labels: e.labels, samples: [] };
        byKey.set(e.key, s);
      }
      s.samples.push({ value: e.value, timestamp: e.timestamp });
    }
    const response = await this.fetch(this.url, {
      method: "POST",
      headers: this.authorization
        ? { ...REMOTE_WRITE_HEADERS, Authorization: this.authorization }
        : REMOTE_WRITE_HEADERS,
      body: encodeWriteRequest([...byKey.values()]),
      signal: AbortSignal.any([AbortSignal.timeout(this.requestTimeoutMs), this.closing.signal]),
    });
    const text = await response.text().catch(() => "");
    if (response.ok) return;
    const why = `${this.url} answered ${response.status}${text ? `: ${text.trim().slice(0, 200)}` : ""}`;
    if (response.status === 429 || response.status >= 500) throw new Error(why);
    throw new Refused(why);
  }

  /** Sends what is queued for at most `deadlineMs`; the rest is dropped and counted. */
  async close(deadlineMs: number): Promise<void> {
    const timer = setTimeout(() => this.closing.abort(), deadlineMs);
    try {
      while (this.pumping && !this.closing.signal.aborted) await this.pumping;
    } finally {
      clearTimeout(timer);
      this.closing.abort();
      await this.pumping;
      this.dropped += this.entries.length;
      this.entries.length = 0;
    }
  }
}

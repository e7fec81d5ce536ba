/**
 * A small Chrome DevTools Protocol client over Node's global WebSocket: commands carry ids and
 * resolve with their result; `closed` settles when the target goes away, so a profiler waiting
 * on a target that died gets an error naming that instead of hanging.
 */
import { HarnessError } from "../../errors.ts";

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class CdpSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, ((params: unknown) => void)[]>();
  private readonly socket: WebSocket;
  private closeReason: string | undefined;
  /** Resolves with a reason once the connection is gone (by close() or because the target died). */
  readonly closed: Promise<string>;
  readonly url: string;

  private constructor(socket: WebSocket, url: string) {
    this.socket = socket;
    this.url = url;
    this.closed = new Promise((resolve) => {
      socket.addEventListener("close", (e) => {
        this.closeReason ??= `inspector connection closed (code ${e.code})`;
        for (const p of this.pending.values()) {
          clearTimeout(p.timer);
          p.reject(new Error(`${p.method}: ${this.closeReason}`));
        }
        this.pending.clear();
        resolve(this.closeReason);
      });
    });
    socket.addEventListener("message", (e) => this.onMessage(String(e.data)));
  }

  static async connect(url: string, timeoutMs = 5000): Promise<CdpSession> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.close();
        reject(new HarnessError(`cannot connect to the inspector at ${url} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.addEventListener("open", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.addEventListener("error", () => {
        clearTimeout(timer);
        reject(new HarnessError(`cannot connect to the inspector at ${url}`));
      });
    });
    return new CdpSession(socket, url);
  }

  /** Calls `listener` on each event `method` the target sends. */
  on(method: string, listener: (params: unknown) => void): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), listener]);
  }

  get isOpen(): boolean {
    return this.closeReason === undefined && this.socket.readyState === WebSocket.OPEN;
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> {
    if (!this.isOpen)
      return Promise.reject(new Error(`${method}: ${this.closeReason ?? "inspector not connected"}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer from the inspector within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  private onMessage(text: string): void {
    let msg: { id?: number; result?: unknown; error?: { message?: string; code?: number } };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (msg.id === undefined) {
      const event = msg as { method?: string; params?: unknown };
      for (const l of this.listeners.get(event.method ?? "") ?? []) l(event.params);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message ?? "error"} (${msg.error.code})`));
    else p.resolve(msg.result);
  }

  async close(): Promise<void> {
    if (this.closeReason !== undefined) return;
    this.closeReason = "closed by the profiler";
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close();
      await Promise.race([this.closed, new Promise((r) => setTimeout(r, 2000).unref())]);
    }
  }
}

/**
 * Items waiting to be added later, on one timer for the whole queue (never one per object).
 * An item waiting twice keeps the earlier deadline, as client-go's delaying queue does.
 * The ordering is tinyqueue's binary heap; superseded entries stay in it and are skipped.
 */
import TinyQueue from "tinyqueue";

interface Entry {
  key: string;
  readyAt: number;
}

export class DelayHeap {
  private heap = new TinyQueue<Entry>([], (a, b) => a.readyAt - b.readyAt);
  private readonly waiting = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly now: () => number;
  private readonly onReady: (key: string) => void;

  constructor(onReady: (key: string) => void, now: () => number) {
    this.onReady = onReady;
    this.now = now;
  }

  get size(): number {
    return this.waiting.size;
  }

  add(key: string, delayMs: number): void {
    const readyAt = this.now() + delayMs;
    const existing = this.waiting.get(key);
    if (existing && existing.readyAt <= readyAt) return;
    // The superseded entry stays in the heap and is skipped when popped (identity check below).
    const entry = { key, readyAt };
    this.waiting.set(key, entry);
    this.heap.push(entry);
    this.arm();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.heap = new TinyQueue<Entry>([], (a, b) => a.readyAt - b.readyAt);
    this.waiting.clear();
  }

  /** Moves every due item to the queue; exposed so tests with a fake clock can drive it. */
  flush(): void {
    const t = this.now();
    for (let head = this.heap.peek(); head && head.readyAt <= t; head = this.heap.peek()) {
      const entry = this.heap.pop()!;
      if (this.waiting.get(entry.key) !== entry) continue;
      this.waiting.delete(entry.key);
      this.onReady(entry.key);
    }
  }

  private arm(): void {
    // Drop stale heads so the timer targets a live deadline.
    let next = this.heap.peek();
    while (next && this.waiting.get(next.key) !== next) {
      this.heap.pop();
      next = this.heap.peek();
    }
    if (!next) return;
    if (this.timer && this.timerAt <= next.readyAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next.readyAt;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.flush();
        this.arm();
      },
      Math.max(0, next.readyAt - this.now()),
    );
    this.timer.unref();
  }
}

/**
 * Items waiting to be added later, on one timer for the whole queue (never one per object).
 * An item waiting twice keeps the earlier deadline, as client-go's delaying queue does.
 */
interface Entry {
  key: string;
  readyAt: number;
}

export class DelayHeap {
  private readonly heap: Entry[] = [];
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
    this.push(entry);
    this.arm();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.heap.length = 0;
    this.waiting.clear();
  }

  /** Moves every due item to the queue; exposed so tests with a fake clock can drive it. */
  flush(): void {
    const t = this.now();
    while (this.heap.length > 0 && this.heap[0]!.readyAt <= t) {
      const entry = this.pop()!;
      if (this.waiting.get(entry.key) !== entry) continue;
      this.waiting.delete(entry.key);
      this.onReady(entry.key);
    }
  }

  private arm(): void {
    // Drop stale heads so the timer targets a live deadline.
    while (this.heap.length > 0 && this.waiting.get(this.heap[0]!.key) !== this.heap[0]) this.pop();
    const next = this.heap[0];
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

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.readyAt <= h[i]!.readyAt) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.readyAt < h[m]!.readyAt) m = l;
        if (r < h.length && h[r]!.readyAt < h[m]!.readyAt) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * One timer for many future actions (per-site apply delays, fault expiries, flap transitions):
 * a min-heap by due time (tinyqueue, as the operator's workqueue uses). Thousands of pending site applies cost one setTimeout, not
 * thousands.
 */
import TinyQueue from "tinyqueue";

interface Entry {
  due: number;
  /** Insertion order: actions due at the same instant run in the order they were scheduled. */
  seq: number;
  run: () => void;
}

const newHeap = () => new TinyQueue<Entry>([], (a, b) => a.due - b.due || a.seq - b.seq);

export class DelayQueue {
  private heap = newHeap();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  private seq = 0;
  private stopped = false;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  get size(): number {
    return this.heap.length;
  }

  at(due: number, run: () => void): void {
    if (this.stopped) return;
    this.heap.push({ due, seq: this.seq++, run });
    this.arm();
  }

  after(delayMs: number, run: () => void): void {
    this.at(this.now() + delayMs, run);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.heap = newHeap();
  }

  private arm(): void {
    const next = this.heap.peek();
    if (!next || next.due >= this.timerDue) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = next.due;
    this.timer = setTimeout(() => this.fire(), Math.max(0, next.due - this.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
    const now = this.now();
    while (!this.stopped && (this.heap.peek()?.due ?? Number.POSITIVE_INFINITY) <= now) {
      this.heap.pop()!.run();
    }
    this.arm();
  }
}

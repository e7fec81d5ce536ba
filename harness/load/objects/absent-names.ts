/**
 * Which names of a fixed, ordered universe (the world's Sites) can be created now: never created,
 * or deleted and observed gone, and not held by a request in flight. `first()` answers "the
 * earliest such name in universe order" in O(log n) amortised, kept current from the ledger's
 * per-name changes; a scan of the universe per create made a 1000-Site burst quadratic (the
 * harness's largest CPU cost, taken from the apiserver it measures).
 */
import type { ObjectKind } from "../../scenario/phases.ts";
import type { ObjectLedger } from "./ledger.ts";

export class AbsentNames {
  private readonly names: readonly string[];
  private readonly indexOf: Map<string, number>;
  private readonly kind: ObjectKind;
  private readonly ledger: ObjectLedger;
  private readonly creatable: Uint8Array;
  /** Indexes that may be creatable (a min-heap); stale ones are dropped when they reach the top. */
  private readonly heap: number[] = [];
  private readonly inHeap: Uint8Array;
  readonly unsubscribe: () => void;

  constructor(ledger: ObjectLedger, kind: ObjectKind, names: readonly string[]) {
    this.ledger = ledger;
    this.kind = kind;
    this.names = names;
    this.indexOf = new Map(names.map((n, i) => [n, i]));
    this.creatable = new Uint8Array(names.length);
    this.inHeap = new Uint8Array(names.length);
    for (let i = 0; i < names.length; i++) this.refresh(i);
    this.unsubscribe = ledger.onNameChange((k, name) => {
      if (k !== this.kind) return;
      const i = this.indexOf.get(name);
      if (i !== undefined) this.refresh(i);
    });
  }

  /** The earliest creatable name, or undefined when every name exists or is busy. */
  first(): string | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0] as number;
      if (this.creatable[top]) return this.names[top];
      this.pop();
      this.inHeap[top] = 0;
    }
    return undefined;
  }

  private refresh(i: number): void {
    const name = this.names[i] as string;
    const entry = this.ledger.get(this.kind, name);
    // A deleted object lingers until its finalizer ran; only a gone one can be created again.
    const ok = !this.ledger.isBusy(this.kind, name) && (!entry || entry.state === "gone");
    this.creatable[i] = ok ? 1 : 0;
    if (ok && !this.inHeap[i]) {
      this.inHeap[i] = 1;
      this.push(i);
    }
  }

  private push(i: number): void {
    const heap = this.heap;
    let at = heap.length;
    heap.push(i);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const p = heap[parent] as number;
      if (p <= i) break;
      heap[at] = p;
      at = parent;
    }
    heap[at] = i;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop() as number;
    if (heap.length === 0) return;
    let at = 0;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const child = r < heap.length && (heap[r] as number) < (heap[l] as number) ? r : l;
      const c = heap[child] as number;
      if (c >= last) break;
      heap[at] = c;
      at = child;
    }
    heap[at] = last;
  }
}

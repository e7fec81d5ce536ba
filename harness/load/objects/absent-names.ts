/**
 * Which names of a fixed, ordered universe (the world's Sites) can be created now: never created,
 * or deleted and observed gone, and not held by a request in flight. `first()` answers "the
 * earliest such name in universe order" in O(log n) amortised, kept current from the ledger's
 * per-name changes; a scan of the universe per create made a 1000-Site burst quadratic (the
 * harness's largest CPU cost, taken from the apiserver it measures).
 */
import TinyQueue from "tinyqueue";
import type { ObjectKind } from "../../scenario/phases.ts";
import type { ObjectLedger } from "./ledger.ts";

export class AbsentNames {
  private readonly names: readonly string[];
  private readonly indexOf: Map<string, number>;
  private readonly kind: ObjectKind;
  private readonly ledger: ObjectLedger;
  private readonly creatable: Uint8Array;
  /** Indexes that may be creatable (a min-heap); stale ones are dropped when they reach the top. */
  private readonly heap = new TinyQueue<number>([], (a, b) => a - b);
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
    for (let top = this.heap.peek(); top !== undefined; top = this.heap.peek()) {
      if (this.creatable[top]) return this.names[top];
      this.heap.pop();
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
      this.heap.push(i);
    }
  }
}

/**
 * Paths this operator created (or deleted) that its cache has not shown yet, per Mesh — the
 * "expectations" of Kubernetes' ReplicaSet controller. During a burst the Mesh is reconciled
 * again while the Paths of the previous pass are still on their way to the informer; without
 * this, every pass would POST those Paths again and collect a 409 for each. An entry goes when
 * the informer shows the change or after `ttlMs`, so a lost event costs one retry, never a stuck Path.
 */
import { monotonicMs } from "../../runtime/ratelimit/token-bucket.ts";

export class PathExpectations {
  private readonly byMesh = new Map<string, Map<string, number>>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(ttlMs = 30_000, now: () => number = monotonicMs) {
    this.ttlMs = ttlMs;
    this.now = now;
  }

  /** Records that `id` is being written (created or deleted) for `meshKey`; call before the write. */
  expect(meshKey: string, id: string): void {
    let m = this.byMesh.get(meshKey);
    if (!m) {
      m = new Map();
      this.byMesh.set(meshKey, m);
    }
    m.set(id, this.now() + this.ttlMs);
  }

  /** The informer showed `id` (added or deleted), or the write failed: the cache speaks for it. */
  observed(meshKey: string, id: string): void {
    const m = this.byMesh.get(meshKey);
    if (!m) return;
    m.delete(id);
    if (m.size === 0) this.byMesh.delete(meshKey);
  }

  has(meshKey: string, id: string): boolean {
    const until = this.byMesh.get(meshKey)?.get(id);
    return until !== undefined && until > this.now();
  }

  /** Ids still in flight for the Mesh; expired ones are dropped on the way. */
  pending(meshKey: string): ReadonlySet<string> {
    const m = this.byMesh.get(meshKey);
    if (!m) return EMPTY;
    const now = this.now();
    const out = new Set<string>();
    for (const [id, until] of m) {
      if (until <= now) m.delete(id);
      else out.add(id);
    }
    if (m.size === 0) this.byMesh.delete(meshKey);
    return out;
  }

  forget(meshKey: string): void {
    this.byMesh.delete(meshKey);
  }

  get size(): number {
    let n = 0;
    for (const m of this.byMesh.values()) n += m.size;
    return n;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * The informer's cache: objects by namespace/name plus secondary indexes (paths by site, policies
 * by class…) so event handlers and reconcilers look up related objects without scanning.
 */
import { type KubeObject, objectKey } from "../kube/resources.ts";

export type IndexFunc<T> = (obj: T) => readonly string[];

export class IndexedStore<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers: ReadonlyMap<string, IndexFunc<T>>;
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc<T>> = {}) {
    this.indexers = new Map(Object.entries(indexers));
    for (const name of this.indexers.keys()) this.indices.set(name, new Map());
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  /** Every object: for whole-set operations only (resync), never per event. */
  values(): IterableIterator<T> {
    return this.items.values();
  }

  keys(): IterableIterator<string> {
    return this.items.keys();
  }

  byIndex(index: string, value: string): T[] {
    const keys = this.indexKeys(index, value);
    const out: T[] = [];
    for (const k of keys) {
      const o = this.items.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  indexKeys(index: string, value: string): ReadonlySet<string> {
    const idx = this.indices.get(index);
    if (!idx) throw new Error(`no index named ${index}`);
    return idx.get(value) ?? EMPTY;
  }

  /** Count of objects under an index value, without materialising them. */
  indexCount(index: string, value: string): number {
    return this.indexKeys(index, value).size;
  }

  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    this.items.set(key, obj);
    if (!old) {
      this.index(key, obj);
      return old;
    }
    // Most updates are status writes that leave every index value as it was: then the buckets
    // are left alone rather than emptied and refilled.
    for (const [name, fn] of this.indexers) {
      const before = fn(old);
      const after = fn(obj);
      if (sameValues(before, after)) continue;
      const idx = this.indices.get(name)!;
      removeFrom(idx, key, before);
      addTo(idx, key, after);
    }
    return old;
  }

  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private index(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) addTo(this.indices.get(name)!, key, fn(obj));
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) removeFrom(this.indices.get(name)!, key, fn(obj));
  }
}

function addTo(idx: Map<string, Set<string>>, key: string, values: readonly string[]): void {
  for (const v of values) {
    let set = idx.get(v);
    if (!set) {
      set = new Set();
      idx.set(v, set);
    }
    set.add(key);
  }
}

function removeFrom(idx: Map<string, Set<string>>, key: string, values: readonly string[]): void {
  for (const v of values) {
    const set = idx.get(v);
    if (!set) continue;
    set.delete(key);
    // Empty buckets are dropped so the index never outgrows the live objects.
    if (set.size === 0) idx.delete(v);
  }
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const EMPTY: ReadonlySet<string> = new Set();

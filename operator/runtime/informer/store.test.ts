import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../kube/resources.ts";
import { IndexedStore } from "./store.ts";

type Obj = KubeObject & { spec: { tags: string[] } };

function obj(name: string, tags: string[], rv: string): Obj {
  return { metadata: { name, namespace: "ns", resourceVersion: rv }, spec: { tags } } as Obj;
}

/** Every bucket of the index as sorted [value, keys] pairs. */
function buckets(store: IndexedStore<Obj>, values: readonly string[]): [string, string[]][] {
  return values
    .map((v): [string, string[]] => [v, [...store.indexKeys("tag", v)].sort()])
    .filter(([, keys]) => keys.length > 0);
}

test("updates keep the index equal to one built from the current objects", () => {
  const values = ["a", "b", "c", "d"];
  let s = 7;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
  const store = new IndexedStore<Obj>({ tag: (o) => o.spec.tags });
  const live = new Map<string, Obj>();
  for (let i = 0; i < 2000; i++) {
    const name = `o${rand(8)}`;
    if (rand(5) === 0) {
      store.remove(`ns/${name}`);
      live.delete(name);
    } else {
      // Often the same tags as before (a status-only update), sometimes different, with duplicates.
      const prev = live.get(name);
      const tags =
        prev && rand(2) === 0 ? [...prev.spec.tags] : Array.from({ length: rand(3) }, () => values[rand(4)]!);
      const o = obj(name, tags, String(i));
      const old = store.upsert(o);
      assert.equal(old, prev);
      live.set(name, o);
    }
    const rebuilt = new IndexedStore<Obj>({ tag: (o) => o.spec.tags });
    for (const o of live.values()) rebuilt.upsert(o);
    assert.deepEqual(buckets(store, values), buckets(rebuilt, values), `step ${i}`);
    assert.equal(store.size, live.size);
  }
});

test("an emptied bucket is dropped and a moved object is found only under its new value", () => {
  const store = new IndexedStore<Obj>({ tag: (o) => o.spec.tags });
  store.upsert(obj("x", ["a"], "1"));
  store.upsert(obj("x", ["b"], "2"));
  assert.equal(store.indexCount("tag", "a"), 0);
  assert.deepEqual(
    store.byIndex("tag", "b").map((o) => o.metadata.resourceVersion),
    ["2"],
  );
  store.upsert(obj("x", ["b"], "3"));
  assert.deepEqual(
    store.byIndex("tag", "b").map((o) => o.metadata.resourceVersion),
    ["3"],
  );
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IndexedStore } from "../informer/store.ts";
import { LABEL_INDEX, labelIndex, matchesSelector, selectFromStore } from "./label-selector.ts";

describe("label selectors", () => {
  it("match labels and every expression operator", () => {
    const labels = { region: "eu", tier: "gold" };
    assert.equal(matchesSelector(undefined, labels), true);
    assert.equal(matchesSelector({}, labels), true);
    assert.equal(matchesSelector({ matchLabels: { region: "eu" } }, labels), true);
    assert.equal(matchesSelector({ matchLabels: { region: "us" } }, labels), false);
    assert.equal(
      matchesSelector(
        { matchExpressions: [{ key: "tier", operator: "In", values: ["gold", "silver"] }] },
        labels,
      ),
      true,
    );
    assert.equal(
      matchesSelector({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["gold"] }] }, labels),
      false,
    );
    assert.equal(matchesSelector({ matchExpressions: [{ key: "zone", operator: "Exists" }] }, labels), false);
    assert.equal(
      matchesSelector({ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, labels),
      true,
    );
  });

  it("select through the label index and keep it consistent on relabel and delete", () => {
    const store = new IndexedStore<{
      metadata: { name: string; namespace: string; labels?: Record<string, string> };
    }>({
      [LABEL_INDEX]: labelIndex,
    });
    store.upsert({ metadata: { name: "a", namespace: "n", labels: { mesh: "x", hub: "true" } } });
    store.upsert({ metadata: { name: "b", namespace: "n", labels: { mesh: "x" } } });
    store.upsert({ metadata: { name: "c", namespace: "n", labels: { mesh: "y" } } });
    const names = (sel: Parameters<typeof selectFromStore>[1]) =>
      selectFromStore(store, sel)
        .map((o) => o.metadata.name)
        .sort();
    assert.deepEqual(names({ matchLabels: { mesh: "x" } }), ["a", "b"]);
    assert.deepEqual(names({ matchLabels: { mesh: "x", hub: "true" } }), ["a"]);
    store.upsert({ metadata: { name: "b", namespace: "n", labels: { mesh: "y" } } });
    assert.deepEqual(names({ matchLabels: { mesh: "x" } }), ["a"]);
    store.remove("n/a");
    assert.deepEqual(names({ matchLabels: { mesh: "x" } }), []);
    assert.equal(store.indexCount(LABEL_INDEX, "mesh=x"), 0);
    assert.deepEqual(names(undefined), ["b", "c"]);
  });
});

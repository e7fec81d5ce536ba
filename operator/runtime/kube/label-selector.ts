/**
 * metav1.LabelSelector matching, plus narrowing through a label index so selecting Sites by
 * `matchLabels` touches only the Sites carrying the first label, not the whole cache.
 */
import type { IndexedStore } from "../informer/store.ts";
import type { KubeObject } from "./resources.ts";

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    values?: string[];
  }[];
}

export const LABEL_INDEX = "label";

/** Indexer emitting `key=value` for every label; register it as LABEL_INDEX. */
export function labelIndex(obj: KubeObject): string[] {
  const labels = obj.metadata.labels;
  if (!labels) return [];
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

export function matchesSelector(
  selector: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(l, e.key);
    const value = l[e.key];
    switch (e.operator) {
      case "In":
        if (!has || !(e.values ?? []).includes(value!)) return false;
        break;
      case "NotIn":
        if (has && (e.values ?? []).includes(value!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
    }
  }
  return true;
}

/** Objects in the store matching the selector; uses the label index when matchLabels is set. */
export function selectFromStore<T extends KubeObject>(
  store: IndexedStore<T>,
  selector: LabelSelector | undefined,
): T[] {
  const first = Object.entries(selector?.matchLabels ?? {})[0];
  const candidates = first ? store.byIndex(LABEL_INDEX, `${first[0]}=${first[1]}`) : [...store.values()];
  return candidates.filter((o) => matchesSelector(selector, o.metadata.labels));
}

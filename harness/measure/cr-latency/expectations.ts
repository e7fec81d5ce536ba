/**
 * Matches requests (ledger intents) to the state the operator reports, per object. Pure logic,
 * no I/O: the CR-latency measurement feeds it intents and watch events, and it returns the
 * latencies of expectations that became true. The operator definition's predicates judge the
 * state; an expectation is met when:
 *   create/update → the object is Ready and the definition says the operator observed that write
 *                   (e.g. status.observedGeneration ≥ its generation);
 *   delete        → the object is gone (a DELETED watch event).
 * An object whose latest write the operator has observed and reported Failed is "failing": still
 * unmet (it may recover), but nothing to wait for. A create or update still pending when the
 * object is deleted is "superseded": accounted for, but not a latency sample.
 */

import type { Intent, IntentType } from "../../load/objects/ledger.ts";
import type { KindSpec, KubeObject, SentWrite } from "../../operators/definition.ts";
import type { ObjectKind } from "../../scenario/phases.ts";

export interface ObservedState {
  ready: boolean;
  /** The operator's Failed message, when it reports the object Failed. */
  failed?: string;
  gone: boolean;
  at: number;
  /** Whether this state shows the operator observed the given write; undefined: it cannot tell. */
  observed(sent: SentWrite): boolean | undefined;
}

interface Pending {
  type: IntentType;
  at: number;
  generation: number;
  spec: unknown;
  /** When the apiserver acknowledged the write, epoch ms. */
  acknowledged: number;
  /** The phase that made the request, when known. */
  phase?: string;
}

export interface Met {
  kind: ObjectKind;
  name: string;
  type: IntentType;
  latencyMs: number;
  phase?: string;
  /**
   * An update of a kind whose status cannot tell that it was seen (no updateObserved): met once
   * the object is Ready after it, but its latency would only be the watch's, so it is no sample.
   */
  unjudged?: true;
}

/** An object the operator reports Failed after observing the harness's latest write. */
export interface Failing {
  kind: ObjectKind;
  name: string;
  message: string;
}

/** The definition's view of an object as the watch delivered it at `at` (performance.now()). */
export function observedState(
  spec: Pick<KindSpec, "ready" | "failed" | "updateObserved">,
  obj: { metadata?: object; status?: Record<string, unknown> },
  gone: boolean,
  at: number,
): ObservedState {
  const object = { ...obj, metadata: { name: "", ...obj.metadata } } as KubeObject;
  if (gone) return { ready: false, gone, at, observed: () => false };
  const failed = spec.failed(object);
  return {
    ready: spec.ready(object),
    ...(failed === undefined ? {} : { failed }),
    gone,
    at,
    observed: (sent) => spec.updateObserved?.(object, sent),
  };
}

/** The write as the definition's updateObserved sees it: acknowledged at `acknowledged` (epoch ms). */
function sentOf(p: Pending): SentWrite {
  return { generation: p.generation, spec: p.spec, at: p.acknowledged };
}

function satisfied(p: Pending, s: ObservedState): boolean {
  if (p.type === "delete") return s.gone;
  return !s.gone && s.ready && s.observed(sentOf(p)) !== false;
}

export class Expectations {
  private readonly pending = new Map<string, Pending[]>();
  private readonly last = new Map<string, ObservedState>();
  /**
   * Pending count per `kind/type`: wait-for checks outstanding() after every met expectation,
   * and walking all pending objects each time made a 1000-Site wait quadratic.
   */
  private readonly open = new Map<string, number>();
  /** Objects failing now (see Failing), with the intent types they hold open. */
  private readonly failingNow = new Map<string, Failing & { types: IntentType[] }>();
  /** Pending count per `kind/type` of failing objects only. */
  private readonly failingOpen = new Map<string, number>();
  expected = 0;
  met = 0;
  superseded = 0;

  private key(kind: ObjectKind, name: string): string {
    return `${kind}/${name}`;
  }

  /** A request was accepted; returns a latency at once if the state already satisfies it. */
  intent(intent: Intent, phase?: string): Met[] {
    const k = this.key(intent.kind, intent.name);
    const list = this.pending.get(k) ?? [];
    if (intent.type === "delete") {
      for (const p of list) {
        if (p.type !== "delete") this.superseded++;
        this.count(intent.kind, p.type, -1);
      }
      list.length = 0;
    }
    // No reset of `last` on create: the Ready event may have beaten the create's response (the
    // harness reads the watch first when loaded), and a predecessor's state was observed before
    // this request was sent, which the `at` comparison below already excludes.
    list.push({
      type: intent.type,
      at: intent.at,
      generation: intent.generation ?? 1,
      spec: intent.spec,
      acknowledged: intent.acknowledged ?? performance.timeOrigin + intent.at,
      ...(phase === undefined ? {} : { phase }),
    });
    this.count(intent.kind, intent.type, 1);
    this.expected++;
    this.pending.set(k, list);
    const state = this.last.get(k);
    if (state && state.at >= intent.at) return this.resolve(intent.kind, intent.name, state);
    this.judgeFailing(intent.kind, intent.name);
    return [];
  }

  /** A watch event; returns the expectations it satisfied. */
  observe(kind: ObjectKind, name: string, state: ObservedState): Met[] {
    this.last.set(this.key(kind, name), state);
    return this.resolve(kind, name, state);
  }

  private resolve(kind: ObjectKind, name: string, state: ObservedState): Met[] {
    const k = this.key(kind, name);
    const list = this.pending.get(k);
    if (!list?.length) {
      this.judgeFailing(kind, name);
      return [];
    }
    const met: Met[] = [];
    const rest: Pending[] = [];
    for (const p of list) {
      if (state.at >= p.at && satisfied(p, state)) {
        met.push({
          kind,
          name,
          type: p.type,
          latencyMs: state.at - p.at,
          ...(p.phase === undefined ? {} : { phase: p.phase }),
          ...(p.type === "update" && state.observed(sentOf(p)) === undefined
            ? { unjudged: true as const }
            : {}),
        });
      } else rest.push(p);
    }
    this.met += met.length;
    for (const m of met) this.count(kind, m.type, -1);
    if (rest.length) this.pending.set(k, rest);
    else this.pending.delete(k);
    this.judgeFailing(kind, name);
    return met;
  }

  /** Whether the object is failing now: its latest create/update observed by the operator and reported Failed. */
  private judgeFailing(kind: ObjectKind, name: string): void {
    const k = this.key(kind, name);
    const before = this.failingNow.get(k);
    if (before) {
      for (const t of before.types) this.bump(this.failingOpen, `${kind}/${t}`, -1);
      this.failingNow.delete(k);
    }
    const list = this.pending.get(k);
    const latest = list?.at(-1);
    const state = this.last.get(k);
    if (!list || !latest || latest.type === "delete" || state?.failed === undefined) return;
    if (state.at < latest.at || state.observed(sentOf(latest)) === false) return;
    const types = list.map((p) => p.type);
    this.failingNow.set(k, { kind, name, message: state.failed, types });
    for (const t of types) this.bump(this.failingOpen, `${kind}/${t}`, 1);
  }

  private bump(map: Map<string, number>, key: string, delta: number): void {
    map.set(key, (map.get(key) ?? 0) + delta);
  }

  /** Unmet expectations of a kind (and types) held by failing objects: nothing to wait for. */
  failingCount(kind?: ObjectKind, types?: readonly IntentType[]): number {
    return sumOpen(this.failingOpen, kind, types);
  }

  /** The objects failing now, with the operator's message. */
  failing(): Failing[] {
    return [...this.failingNow.values()].map(({ kind, name, message }) => ({ kind, name, message }));
  }

  private count(kind: ObjectKind, type: IntentType, delta: number): void {
    this.bump(this.open, `${kind}/${type}`, delta);
  }

  /** Expectations not yet met for a kind, optionally only of some types. */
  outstanding(kind?: ObjectKind, types?: readonly IntentType[]): number {
    return sumOpen(this.open, kind, types);
  }

  /** When the oldest request still waiting to be observed was made (undefined: none waiting). */
  oldestPending(): number | undefined {
    let oldest: number | undefined;
    for (const list of this.pending.values()) {
      for (const p of list) if (oldest === undefined || p.at < oldest) oldest = p.at;
    }
    return oldest;
  }

  /** Names of objects with unmet expectations (for the error that explains < 100 % coverage). */
  missing(limit = 10): string[] {
    return [...this.pending.entries()]
      .slice(0, limit)
      .map(([k, l]) => `${k} (${l.map((p) => p.type).join(",")})`);
  }

  /** Coverage over accounted-for expectations: superseded ones are neither expected nor observed. */
  coverage(): { expected: number; observed: number } {
    return { expected: this.expected - this.superseded, observed: this.met };
  }
}

function sumOpen(
  open: ReadonlyMap<string, number>,
  kind?: ObjectKind,
  types?: readonly IntentType[],
): number {
  let n = 0;
  for (const [k, count] of open) {
    const slash = k.indexOf("/");
    if (kind && k.slice(0, slash) !== kind) continue;
    if (types && !types.includes(k.slice(slash + 1) as IntentType)) continue;
    n += count;
  }
  return n;
}

/**
 * Matches requests (ledger intents) to the state the operator reports, per object. Pure logic,
 * no I/O: the CR-latency measurement feeds it intents and watch events, and it returns the
 * latencies of expectations that became true. An expectation is met when:
 *   create/update → status.observedGeneration ≥ the generation of that change and the kind's
 *                   ready condition (Site: Ready, Policy: Applied) is True;
 *   delete        → the object is gone (a DELETED watch event).
 * A create or update still pending when the object is deleted is "superseded": accounted for,
 * but not a latency sample.
 */
import type { Intent, IntentType } from "../../load/objects/ledger.ts";
import type { ObjectKind } from "../../scenario/phases.ts";

export interface ObservedState {
  observedGeneration: number;
  ready: boolean;
  gone: boolean;
  at: number;
}

interface Pending {
  type: IntentType;
  at: number;
  generation: number;
  /** The phase that made the request, when known. */
  phase?: string;
}

export interface Met {
  kind: ObjectKind;
  name: string;
  type: IntentType;
  latencyMs: number;
  phase?: string;
}

const READY_CONDITION: Record<ObjectKind, string> = { site: "Ready", policy: "Applied" };

export function observedState(
  kind: ObjectKind,
  obj: { metadata?: { deletionTimestamp?: unknown }; status?: Record<string, unknown> },
  gone: boolean,
  at: number,
): ObservedState {
  const status = obj.status ?? {};
  const conditions = (status.conditions as Array<{ type: string; status: string }> | undefined) ?? [];
  // An object being deleted still carries the Ready condition it had; its late events must not
  // count as its successor of the same name becoming Ready.
  const deleting = Boolean(obj.metadata?.deletionTimestamp);
  return {
    observedGeneration: Number(status.observedGeneration ?? 0),
    ready: !deleting && conditions.some((c) => c.type === READY_CONDITION[kind] && c.status === "True"),
    gone,
    at,
  };
}

function satisfied(p: Pending, s: ObservedState): boolean {
  if (p.type === "delete") return s.gone;
  return !s.gone && s.ready && s.observedGeneration >= p.generation;
}

export class Expectations {
  private readonly pending = new Map<string, Pending[]>();
  private readonly last = new Map<string, ObservedState>();
  /**
   * Pending count per `kind/type`: wait-for checks outstanding() after every met expectation,
   * and walking all pending objects each time made a 1000-Site wait quadratic.
   */
  private readonly open = new Map<string, number>();
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
    list.push({ type: intent.type, at: intent.at, generation: intent.generation ?? 1, phase });
    this.count(intent.kind, intent.type, 1);
    this.expected++;
    this.pending.set(k, list);
    const state = this.last.get(k);
    return state && state.at >= intent.at ? this.resolve(intent.kind, intent.name, state) : [];
  }

  /** A watch event; returns the expectations it satisfied. */
  observe(kind: ObjectKind, name: string, state: ObservedState): Met[] {
    this.last.set(this.key(kind, name), state);
    return this.resolve(kind, name, state);
  }

  private resolve(kind: ObjectKind, name: string, state: ObservedState): Met[] {
    const k = this.key(kind, name);
    const list = this.pending.get(k);
    if (!list?.length) return [];
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
        });
      } else rest.push(p);
    }
    this.met += met.length;
    for (const m of met) this.count(kind, m.type, -1);
    if (rest.length) this.pending.set(k, rest);
    else this.pending.delete(k);
    return met;
  }

  private count(kind: ObjectKind, type: IntentType, delta: number): void {
    const k = `${kind}/${type}`;
    this.open.set(k, (this.open.get(k) ?? 0) + delta);
  }

  /** Expectations not yet met for a kind, optionally only of some types. */
  outstanding(kind?: ObjectKind, types?: readonly IntentType[]): number {
    let n = 0;
    for (const [k, count] of this.open) {
      const slash = k.indexOf("/");
      if (kind && k.slice(0, slash) !== kind) continue;
      if (types && !types.includes(k.slice(slash + 1) as IntentType)) continue;
      n += count;
    }
    return n;
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

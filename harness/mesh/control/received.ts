/**
 * What the patronus-rs dialect received: the latest body per site and per policy (with who sent
 * it and when), and the deletions it accepted. PUT is create-or-replace; an identical body keeps
 * its revision. The simulator's model follows the sites (see Simulation.joinWorldSite); this store
 * is what the harness compares the cluster with.
 */
import { isDeepStrictEqual } from "node:util";
import type { ReceivedDeletion, ReceivedObject } from "../api/patronus-rs.ts";

const KEEP_DELETIONS = 10_000;

export type ReceivedKind = "site" | "policy";

export interface PutResult {
  object: ReceivedObject;
  created: boolean;
  /** The body differs from the one held before (always true when created). */
  changed: boolean;
}

export class ReceivedStore {
  private readonly objects: Record<ReceivedKind, Map<string, ReceivedObject>> = {
    site: new Map(),
    policy: new Map(),
  };
  private readonly deletionLog: ReceivedDeletion[] = [];

  get(kind: ReceivedKind, name: string): ReceivedObject | undefined {
    return this.objects[kind].get(name);
  }

  size(kind: ReceivedKind): number {
    return this.objects[kind].size;
  }

  put(
    kind: ReceivedKind,
    name: string,
    body: Record<string, unknown>,
    caller: string,
    nowMs = Date.now(),
  ): PutResult {
    const held = this.objects[kind].get(name);
    if (held && isDeepStrictEqual(held.body, body)) return { object: held, created: false, changed: false };
    const object: ReceivedObject = {
      name,
      body,
      revision: (held?.revision ?? 0) + 1,
      caller,
      updatedAtMs: nowMs,
    };
    this.objects[kind].set(name, object);
    return { object, created: held === undefined, changed: true };
  }

  /** False when nothing was held under the name. */
  delete(kind: ReceivedKind, name: string, caller: string, nowMs = Date.now()): boolean {
    if (!this.objects[kind].delete(name)) return false;
    this.deletionLog.push({ kind, name, caller, atMs: nowMs });
    if (this.deletionLog.length > KEEP_DELETIONS * 1.1)
      this.deletionLog.splice(0, this.deletionLog.length - KEEP_DELETIONS);
    return true;
  }

  list(kind: ReceivedKind): ReceivedObject[] {
    return [...this.objects[kind].values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  deletions(): ReceivedDeletion[] {
    return this.deletionLog.slice(-KEEP_DELETIONS);
  }
}

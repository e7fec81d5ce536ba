/** Patronus policies: stored by name; applying one is an operation over its sites. */
import { isDeepStrictEqual } from "node:util";
import type { Policy, PolicySpec } from "../../../contract/patronus-api/v1.ts";

export class PolicyStore {
  private readonly policies = new Map<string, Policy>();

  get(name: string): Policy | undefined {
    return this.policies.get(name);
  }

  put(name: string, spec: PolicySpec, nowMs = Date.now()): { policy: Policy; created: boolean } {
    const existing = this.policies.get(name);
    if (existing && isDeepStrictEqual(existing.spec, spec)) return { policy: existing, created: false };
    const policy: Policy = {
      name,
      spec,
      revision: (existing?.revision ?? 0) + 1,
      updatedAt: new Date(nowMs).toISOString(),
    };
    this.policies.set(name, policy);
    return { policy, created: existing === undefined };
  }

  delete(name: string): boolean {
    return this.policies.delete(name);
  }
}

/**
 * Policy controller: validates a Policy, refuses a second Policy for a class already claimed
 * (oldest wins), pushes it to the Patronus API with the Sites it selects and applies it, tracks
 * the apply operation until the API reports convergedAt, and (through the Router) keeps each
 * site's class route on a tunnel within the SLA, rerouting and confirming when it is violated.
 * Status: Accepted/Applied conditions, lastOperationId, appliedAt, sites, reroutes.
 */
import { createHash } from "node:crypto";
import type { Policy, PolicyStatus } from "../../api/v1alpha1/types.ts";
import { isTransient, PatronusApiError } from "../../patronus/client.ts";
import { runBounded } from "../../runtime/concurrency/bounded.ts";
import { isTrue, setCondition } from "../../runtime/conditions/conditions.ts";
import {
  Controller,
  type ControllerSettings,
  fromSettings,
  type Reconciler,
  type Result,
} from "../../runtime/controller/controller.ts";
import { matchesSelector, selectFromStore } from "../../runtime/kube/label-selector.ts";
import {
  addFinalizer,
  hasFinalizer,
  removeFinalizer,
  updateStatus,
} from "../../runtime/kube/object-writes.ts";
import { objectKey, POLICIES, splitKey } from "../../runtime/kube/resources.ts";
import { errorMessage, type OperatorContext, POLICIES_BY_CLASS } from "../context.ts";
import { SpecChecks } from "../spec-check.ts";
import { type OperationMemory, trackApply, trackReroutes } from "./operations.ts";
import { Router } from "./router.ts";

export const POLICY_FINALIZER = "sdwan.patronus.io/policy";
const POLL_MS = 500;

interface Memory extends OperationMemory {
  appliedGeneration?: number;
  /** Whether every selected site's route has been computed since this replica started leading. */
  routed: boolean;
}

export class PolicyReconciler implements Reconciler {
  readonly router: Router;
  private readonly ctx: OperatorContext;
  /** One entry per live Policy; deleted with it. */
  private readonly memory = new Map<string, Memory>();
  private readonly specChecks = new SpecChecks("Policy");
  /** Policies whose finalizer this controller ran; their leaving the cache needs no more calls. */
  private readonly finalized = new Set<string>();
  /**
   * Sites a withdrawal still has to push routes to: the router forgets a Policy when it is
   * unregistered, so a withdrawal retried after a failed push must not ask it again.
   */
  private readonly withdrawing = new Map<string, string[]>();

  constructor(ctx: OperatorContext, enqueue: (key: string) => void) {
    this.ctx = ctx;
    this.router = new Router(ctx, enqueue);
  }

  async reconcile(key: string): Promise<Result | undefined> {
    const { rest, patronus, recorder, informers } = this.ctx;
    let policy = informers.policies.store.get(key);
    if (!policy) {
      this.specChecks.forget(key);
      if (this.finalized.delete(key)) return undefined;
      // Gone without our finalizer having run (the apiserver's finalizer race,
      // kubernetes/kubernetes#77988, as for Sites): withdraw it all the same. Deleting a policy
      // the API does not hold is a no-op.
      await this.withdraw(key, splitKey(key).name);
      return undefined;
    }
    const name = policy.metadata.name;
    const generation = policy.metadata.generation ?? 0;

    if (policy.metadata.deletionTimestamp) {
      if (!hasFinalizer(policy, POLICY_FINALIZER)) return undefined;
      await this.withdraw(key, name);
      await removeFinalizer(rest, POLICIES, policy, POLICY_FINALIZER);
      this.finalized.add(key);
      return undefined;
    }
    this.finalized.delete(key);
    this.withdrawing.delete(key);

    const checked = this.specChecks.check(key, policy);
    if (!checked.ok) {
      await this.notAccepted(policy, "InvalidSpec", checked.message);
      recorder.record(policy, "Warning", "InvalidSpec", "Validate", checked.message);
      return undefined;
    }
    const spec = checked.spec;
    const owner = this.classOwner(policy);
    if (owner !== policy) {
      const msg = `traffic class ${spec.class} is already claimed by Policy ${owner.metadata.name}`;
      this.router.unregister(key);
      await this.notAccepted(policy, "ClassConflict", msg);
      recorder.record(policy, "Warning", "ClassConflict", "Validate", msg);
      return undefined;
    }
    if (!hasFinalizer(policy, POLICY_FINALIZER))
      policy = await addFinalizer(rest, POLICIES, policy, POLICY_FINALIZER);

    const sites = selectFromStore(informers.sites.store, spec.siteSelector)
      .filter((s) => !s.metadata.deletionTimestamp && isTrue(s.status?.conditions, "Registered"))
      .map((s) => s.metadata.name)
      .sort();
    const sitesKey = createHash("sha1").update(sites.join("\n")).digest("hex");
    const mem = this.memoryFor(key, policy);
    const st: PolicyStatus = { ...policy.status };
    // After a leader change memory is empty: trust the status when it describes this generation and site count.
    if (
      mem.sitesKey === undefined &&
      st.observedGeneration === generation &&
      st.sites === sites.length &&
      st.lastOperationId
    ) {
      mem.sitesKey = sitesKey;
      mem.appliedGeneration = generation;
    }
    const removed = this.router.register(
      { key, cls: spec.class, sla: spec.sla, preferredLinks: spec.preferredLinks },
      sites,
    );
    let fullRoute = false;
    try {
      // Judged from memory, not the cached status: our own status write may not be back yet.
      if (mem.sitesKey !== sitesKey || mem.appliedGeneration !== generation) {
        await patronus.putPolicy(name, {
          class: spec.class,
          sites,
          sla: spec.sla,
          preferredLinks: spec.preferredLinks,
        });
        const op = await patronus.applyPolicy(name);
        mem.sitesKey = sitesKey;
        mem.appliedGeneration = generation;
        mem.applyOp = op.id;
        fullRoute = true;
        Object.assign(st, { observedGeneration: generation, sites: sites.length, lastOperationId: op.id });
        st.conditions = setCondition(st.conditions, {
          type: "Accepted",
          status: "True",
          reason: "Accepted",
          message: `class ${spec.class} on ${sites.length} sites`,
          observedGeneration: generation,
        });
        st.conditions = setCondition(st.conditions, {
          type: "Applied",
          status: "False",
          reason: "Applying",
          message: `operation ${op.id} submitted`,
          observedGeneration: generation,
        });
        recorder.record(
          policy,
          "Normal",
          "Applying",
          "Apply",
          `operation ${op.id} for ${sites.length} sites`,
        );
      }
      const opId = mem.applyOp ?? (isTrue(st.conditions, "Applied") ? undefined : st.lastOperationId);
      if (opId) await trackApply(this.ctx, policy, st, mem, opId);
      const outcome = await this.router.sync(key, fullRoute || !mem.routed, removed);
      mem.routed = true;
      for (const r of outcome.reroutes) {
        mem.pending.set(r.opId, r);
        this.ctx.patronusMetrics.reroutes.inc({ outcome: "pushed" });
        recorder.record(
          policy,
          "Normal",
          "Rerouted",
          "Reroute",
          `class ${spec.class} at site ${r.site}: ${r.from} → ${r.to} (operation ${r.opId})`,
        );
      }
      await trackReroutes(this.ctx, policy, mem);
    } catch (err) {
      if (isTransient(err)) {
        st.conditions = setCondition(st.conditions, {
          type: "Applied",
          status: "False",
          reason: "PatronusUnavailable",
          message: errorMessage(err),
          observedGeneration: generation,
        });
        await updateStatus(rest, POLICIES, policy, { ...st, reroutes: mem.reroutes });
        throw err;
      }
      if (err instanceof PatronusApiError && err.status === 409) {
        // The API knows fewer sites than the cache shows (a registration in flight): retry later.
        st.conditions = setCondition(st.conditions, {
          type: "Applied",
          status: "False",
          reason: "SitesNotRegistered",
          message: err.message,
          observedGeneration: generation,
        });
        await updateStatus(rest, POLICIES, policy, { ...st, reroutes: mem.reroutes });
        mem.sitesKey = undefined;
        throw err;
      }
      if (err instanceof PatronusApiError && err.status < 500) {
        await this.notAccepted(policy, "Rejected", err.message);
        recorder.record(policy, "Warning", "Rejected", "Apply", err.message);
        return undefined;
      }
      throw err;
    }
    st.reroutes = mem.reroutes;
    await updateStatus(rest, POLICIES, policy, st);
    return mem.applyOp || mem.pending.size > 0 ? { requeueAfterMs: POLL_MS } : undefined;
  }

  /** The oldest live Policy of a class owns it (creation time, then name). */
  /** Takes a Policy out of the mesh: its class routes at the sites it held, then the policy. */
  private async withdraw(key: string, name: string): Promise<void> {
    const { patronus } = this.ctx;
    let sites = this.withdrawing.get(key);
    if (!sites) {
      sites = this.router.unregister(key);
      this.withdrawing.set(key, sites);
    }
    await runBounded(sites, 8, async (s) => {
      try {
        await patronus.putRouting(s, { classes: this.router.book.routesFor(s) });
      } catch (err) {
        // A site the API no longer holds has no routes left to withdraw; retrying would hold the
        // finalizer forever (found in-cluster: a Site deleted while its Policy was being applied).
        if (!(err instanceof PatronusApiError && err.status === 404)) throw err;
      }
    });
    await patronus.deletePolicy(name);
    this.withdrawing.delete(key);
    this.memory.delete(key);
  }

  private classOwner(policy: Policy): Policy {
    let owner = policy;
    for (const p of this.ctx.informers.policies.store.byIndex(POLICIES_BY_CLASS, policy.spec.class)) {
      if (p.metadata.deletionTimestamp) continue;
      const a = String(p.metadata.creationTimestamp ?? "");
      const b = String(owner.metadata.creationTimestamp ?? "");
      if (a < b || (a === b && p.metadata.name < owner.metadata.name)) owner = p;
    }
    return owner;
  }

  private memoryFor(key: string, policy: Policy): Memory {
    let m = this.memory.get(key);
    if (!m) {
      m = { routed: false, reroutes: policy.status?.reroutes ?? 0, pending: new Map() };
      this.memory.set(key, m);
    }
    m.reroutes = Math.max(m.reroutes, policy.status?.reroutes ?? 0);
    return m;
  }

  private async notAccepted(policy: Policy, reason: string, message: string): Promise<void> {
    const generation = policy.metadata.generation ?? 0;
    let conditions = setCondition(policy.status?.conditions, {
      type: "Accepted",
      status: "False",
      reason,
      message,
      observedGeneration: generation,
    });
    conditions = setCondition(conditions, {
      type: "Applied",
      status: "False",
      reason: "NotAccepted",
      message: "the policy was not accepted",
      observedGeneration: generation,
    });
    await updateStatus(this.ctx.rest, POLICIES, policy, {
      ...policy.status,
      observedGeneration: generation,
      conditions,
    });
  }
}

export function createPolicyController(ctx: OperatorContext, settings: ControllerSettings): Controller {
  let controller: Controller | undefined;
  const reconciler = new PolicyReconciler(ctx, (key) => controller?.enqueue(key));
  const c = new Controller({
    name: "policy",
    reconciler,
    metrics: ctx.metrics,
    logger: ctx.logger,
    ...fromSettings(settings),
  });
  controller = c;
  const { informers } = ctx;
  // A Policy change can settle a class conflict for the others of its class.
  c.watch(informers.policies, (p, old, kind) => {
    if (
      kind === "update" &&
      old &&
      old.metadata.generation === p.metadata.generation &&
      !p.metadata.deletionTimestamp
    )
      return [];
    const keys = new Set([objectKey(p)]);
    for (const cls of new Set([p.spec.class, old?.spec.class])) {
      if (cls)
        for (const other of informers.policies.store.byIndex(POLICIES_BY_CLASS, cls))
          keys.add(objectKey(other));
    }
    return keys;
  });
  c.watch(informers.sites, (site, old) => {
    if (
      old &&
      isTrue(old.status?.conditions, "Registered") === isTrue(site.status?.conditions, "Registered") &&
      JSON.stringify(old.metadata.labels) === JSON.stringify(site.metadata.labels) &&
      !site.metadata.deletionTimestamp
    )
      return [];
    const keys: string[] = [];
    for (const p of informers.policies.store.values()) {
      if (
        matchesSelector(p.spec.siteSelector, site.metadata.labels) ||
        (old && matchesSelector(p.spec.siteSelector, old.metadata.labels))
      )
        keys.push(objectKey(p));
    }
    return keys;
  });
  c.watch(informers.paths, (path, _old, kind) => {
    if (kind !== "update") reconciler.router.pathChanged(path);
    return [];
  });
  return c;
}

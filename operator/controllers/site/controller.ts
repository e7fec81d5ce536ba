/**
 * Site controller: registers each Site with the Patronus API under its name, keeps the API's
 * copy in sync with the spec, and deregisters it through a finalizer when the Site is deleted.
 * Status: siteId, phase, observedGeneration, registeredRevision, conditions Registered and Ready.
 */
import { type Site as ApiSite, SiteSpec as ApiSiteSpec } from "../../../contract/patronus-api/v1.ts";
import { SITE_FINALIZER } from "../../api/v1alpha1/constants.ts";
import type { Site, SiteStatus } from "../../api/v1alpha1/types.ts";
import { isTransient, PatronusApiError } from "../../patronus/client.ts";
import { setCondition } from "../../runtime/conditions/conditions.ts";
import {
  Controller,
  type ControllerSettings,
  fromSettings,
  type Reconciler,
  type Result,
} from "../../runtime/controller/controller.ts";
import {
  addFinalizer,
  hasFinalizer,
  removeFinalizer,
  updateStatus,
} from "../../runtime/kube/object-writes.ts";
import { objectKey, SITES, splitKey } from "../../runtime/kube/resources.ts";
import { errorMessage, type OperatorContext } from "../context.ts";
import { SpecChecks } from "../spec-check.ts";

export { SITE_FINALIZER };

export class SiteReconciler implements Reconciler {
  private readonly ctx: OperatorContext;
  /**
   * Generation last synced per Site, so a reconcile that runs before our own status write is
   * back in the cache does not register again. One entry per live Site.
   */
  private readonly synced = new Map<string, number>();
  /**
   * Sites whose finalizer this controller removed after deregistering them, so their
   * disappearance from the cache needs no further call. Emptied when the Site leaves the cache.
   */
  private readonly finalized = new Set<string>();
  private readonly specChecks = new SpecChecks("Site");

  constructor(ctx: OperatorContext) {
    this.ctx = ctx;
  }

  async reconcile(key: string): Promise<Result | undefined> {
    const { rest, patronus, recorder } = this.ctx;
    let site = this.ctx.informers.sites.store.get(key);
    if (!site) {
      this.synced.delete(key);
      this.specChecks.forget(key);
      if (this.finalized.delete(key)) return undefined;
      // Gone without our finalizer having run: the apiserver can hard-delete an object whose
      // finalizer was added while the DELETE was in flight (kubernetes/kubernetes#77988), after
      // we registered it. Deregistering a name the API does not hold is a no-op.
      await patronus.deregisterSite(splitKey(key).name);
      return undefined;
    }
    const name = site.metadata.name;
    const generation = site.metadata.generation ?? 0;

    if (site.metadata.deletionTimestamp) {
      this.synced.delete(key);
      if (!hasFinalizer(site, SITE_FINALIZER)) return undefined;
      try {
        await patronus.deregisterSite(name);
      } catch (err) {
        // Visible while deregistration waits on the API (e.g. during an outage). Written only
        // then: under churn a status write per delete that is gone a moment later costs the
        // apiserver one write in every ten for nothing.
        if (site.status?.phase !== "Deleting") {
          const conditions = setCondition(site.status?.conditions, {
            type: "Ready",
            status: "False",
            reason: "Deleting",
            message: "deregistering from the Patronus API",
            observedGeneration: generation,
          });
          await updateStatus(rest, SITES, site, { ...site.status, phase: "Deleting", conditions });
        }
        throw err;
      }
      await removeFinalizer(rest, SITES, site, SITE_FINALIZER);
      this.finalized.add(key);
      recorder.record(
        site,
        "Normal",
        "Deregistered",
        "Deregister",
        `site ${name} deregistered from the Patronus API`,
      );
      return undefined;
    }

    this.finalized.delete(key);
    const checked = this.specChecks.check(key, site);
    if (!checked.ok) {
      await this.writeStatus(site, { phase: "Failed" }, "False", "InvalidSpec", checked.message);
      recorder.record(site, "Warning", "InvalidSpec", "Validate", checked.message);
      // Retrying cannot fix a spec; the next edit of the Site triggers a new reconcile.
      return undefined;
    }

    if (!hasFinalizer(site, SITE_FINALIZER)) site = await addFinalizer(rest, SITES, site, SITE_FINALIZER);

    const st = site.status;
    const synced =
      st?.siteId &&
      st.observedGeneration === generation &&
      st.conditions?.some((c) => c.type === "Registered" && c.status === "True");
    if (synced || this.synced.get(key) === generation) return undefined;

    const spec = ApiSiteSpec.parse({
      region: checked.spec.region,
      hub: checked.spec.hub,
      links: checked.spec.links,
    });
    let registered: ApiSite;
    try {
      registered = await this.register(name, spec, Boolean(st?.siteId));
    } catch (err) {
      if (isTransient(err)) {
        await this.writeStatus(
          site,
          { phase: "Registering" },
          "False",
          "PatronusUnavailable",
          errorMessage(err),
        );
        throw err;
      }
      if (err instanceof PatronusApiError) {
        await this.writeStatus(site, { phase: "Failed" }, "False", "Rejected", err.message);
        recorder.record(site, "Warning", "Rejected", "Register", err.message);
        return undefined;
      }
      throw err;
    }
    const first = !st?.siteId;
    const status: SiteStatus = {
      ...site.status,
      siteId: registered.id,
      phase: "Ready",
      observedGeneration: generation,
      registeredRevision: registered.revision,
    };
    status.conditions = setCondition(site.status?.conditions, {
      type: "Registered",
      status: "True",
      reason: "Registered",
      message: `registered as ${registered.id} (revision ${registered.revision})`,
      observedGeneration: generation,
    });
    status.conditions = setCondition(status.conditions, {
      type: "Ready",
      status: "True",
      reason: "Synced",
      message: "the Patronus API has the current spec",
      observedGeneration: generation,
    });
    await updateStatus(rest, SITES, site, status);
    this.synced.set(key, generation);
    recorder.record(
      site,
      "Normal",
      first ? "Registered" : "Updated",
      first ? "Register" : "Update",
      `site ${name} ${first ? "registered" : "updated"} (id ${registered.id}, revision ${registered.revision})`,
    );
    return undefined;
  }

  /**
   * POST is idempotent for an unchanged spec; a changed spec answers 409 and goes through PUT.
   * A Site registered before (status.siteId) is updated with PUT at once, saving the POST's 409
   * on every spec change; a 404 (the API lost it) registers it again.
   */
  private async register(name: string, spec: ApiSiteSpec, known: boolean): Promise<ApiSite> {
    const { patronus } = this.ctx;
    if (known) {
      try {
        return await patronus.updateSite(name, spec);
      } catch (err) {
        if (!(err instanceof PatronusApiError && err.status === 404)) throw err;
      }
    }
    try {
      return await patronus.registerSite({ name, ...spec });
    } catch (err) {
      if (err instanceof PatronusApiError && err.status === 409) return patronus.updateSite(name, spec);
      throw err;
    }
  }

  private async writeStatus(
    site: Site,
    base: SiteStatus,
    status: "False",
    reason: string,
    message: string,
  ): Promise<void> {
    const generation = site.metadata.generation ?? 0;
    const registered = site.status?.siteId !== undefined;
    let conditions = setCondition(site.status?.conditions, {
      type: "Registered",
      status: registered && reason === "PatronusUnavailable" ? "True" : status,
      reason: registered && reason === "PatronusUnavailable" ? "Registered" : reason,
      message:
        registered && reason === "PatronusUnavailable"
          ? "registered; the latest spec is not synced yet"
          : message,
      observedGeneration: generation,
    });
    conditions = setCondition(conditions, {
      type: "Ready",
      status,
      reason,
      message,
      observedGeneration: generation,
    });
    await updateStatus(this.ctx.rest, SITES, site, { ...site.status, ...base, conditions });
  }
}

export function createSiteController(ctx: OperatorContext, settings: ControllerSettings): Controller {
  const c = new Controller({
    name: "site",
    reconciler: new SiteReconciler(ctx),
    metrics: ctx.metrics,
    logger: ctx.logger,
    ...fromSettings(settings),
  });
  // Status-only updates (our own writes) bump resourceVersion but not generation; skip them
  // unless deletion started, so each status write does not cost a reconcile.
  c.watch(ctx.informers.sites, (site, old) => {
    if (
      old &&
      old.metadata.generation === site.metadata.generation &&
      !site.metadata.deletionTimestamp &&
      sameFinalizers(old, site)
    ) {
      return [];
    }
    return [objectKey(site)];
  });
  return c;
}

function sameFinalizers(a: Site, b: Site): boolean {
  return (a.metadata.finalizers ?? []).join(",") === (b.metadata.finalizers ?? []).join(",");
}

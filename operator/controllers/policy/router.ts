/**
 * Keeps each site's class routes pushed to the Patronus API (PUT /sites/{name}/routing) and
 * reroutes a class when the tunnel carrying it violates the class's SLA. Telemetry samples reach
 * here in O(1) through the RouteBook's active-tunnel index; only the affected sites are
 * recomputed. Reroute operations are tracked until the API reports convergedAt.
 */
import type { Path, Site } from "../../api/v1alpha1/types.ts";
import { runBounded } from "../../runtime/concurrency/bounded.ts";
import type { OperatorContext } from "../context.ts";
import { PATHS_BY_SITE } from "../context.ts";
import { type Candidate, chooseRoute, RouteBook, type Sla, violates } from "./routing.ts";

export interface ClassPolicy {
  key: string;
  cls: string;
  sla: Sla;
  preferredLinks: readonly string[];
}

export interface PendingReroute {
  opId: string;
  site: string;
  from: string;
  to: string;
}

export interface PushOutcome {
  pushed: number;
  reroutes: PendingReroute[];
}

const PUSH_PARALLELISM = 8;

export class Router {
  readonly book = new RouteBook();
  private readonly ctx: OperatorContext;
  private readonly policies = new Map<string, ClassPolicy>();
  /** Sites whose route must be recomputed, per policy key. Bounded by sites × policies. */
  private readonly dirty = new Map<string, Set<string>>();
  private readonly onDirty: (policyKey: string) => void;

  constructor(ctx: OperatorContext, onDirty: (policyKey: string) => void) {
    this.ctx = ctx;
    this.onDirty = onDirty;
    ctx.telemetry.onSample((sample) => {
      for (const { policyKey, site } of this.book.carriedBy(sample.id)) {
        const p = this.policies.get(policyKey);
        if (p && violates(sample, p.sla)) this.markDirty(policyKey, site);
      }
    });
  }

  markDirty(policyKey: string, site: string): void {
    let set = this.dirty.get(policyKey);
    if (!set) {
      set = new Set();
      this.dirty.set(policyKey, set);
    }
    set.add(site);
    this.onDirty(policyKey);
  }

  /** A new or removed Path: the classes of its sites may gain a route or lose their active one. */
  pathChanged(path: Path): void {
    for (const site of [path.spec.siteA, path.spec.siteB]) {
      for (const p of this.policies.values()) {
        const entry = this.book.get(site, p.cls);
        if (entry ? entry.route.activeTunnel === path.metadata.name : this.siteSelected(p.key, site))
          this.markDirty(p.key, site);
      }
    }
  }

  private readonly selected = new Map<string, Set<string>>();

  private siteSelected(policyKey: string, site: string): boolean {
    return this.selected.get(policyKey)?.has(site) ?? false;
  }

  /** Records the policy's class and sites; returns the sites that left the selection. */
  register(p: ClassPolicy, sites: readonly string[]): string[] {
    this.policies.set(p.key, p);
    const next = new Set(sites);
    const prev = this.selected.get(p.key) ?? new Set<string>();
    this.selected.set(p.key, next);
    return [...prev].filter((s) => !next.has(s));
  }

  /** Forgets a policy; returns the sites whose routing must be re-pushed without its class. */
  unregister(policyKey: string): string[] {
    const p = this.policies.get(policyKey);
    const sites = [...(this.selected.get(policyKey) ?? [])];
    this.policies.delete(policyKey);
    this.selected.delete(policyKey);
    this.dirty.delete(policyKey);
    if (!p) return [];
    // Another Policy may have taken the class over at a site meanwhile: leave its routes alone.
    for (const s of sites) this.book.delete(s, p.cls, policyKey);
    return sites;
  }

  /** Recomputes routes for `sites` (or the dirty ones) and pushes those that changed. */
  async sync(policyKey: string, all: boolean, removedSites: readonly string[] = []): Promise<PushOutcome> {
    const p = this.policies.get(policyKey);
    const outcome: PushOutcome = { pushed: 0, reroutes: [] };
    if (!p) return outcome;
    const dirty = this.dirty.get(policyKey);
    this.dirty.delete(policyKey);
    const sites = all
      ? [...(this.selected.get(policyKey) ?? [])]
      : [...(dirty ?? [])].filter((s) => this.siteSelected(policyKey, s));
    const changed: { site: string; from: string | undefined; to: string }[] = [];
    for (const site of sites) {
      const prev = this.book.get(site, p.cls);
      const route = chooseRoute(
        p.cls,
        this.candidates(site),
        p.preferredLinks,
        p.sla,
        (id) => this.ctx.telemetry.get(id),
        prev?.route.activeTunnel,
      );
      if (!route) continue;
      if (
        prev &&
        prev.policyKey === policyKey &&
        prev.route.activeTunnel === route.activeTunnel &&
        prev.route.backups.join() === route.backups.join()
      )
        continue;
      this.book.set(site, { route, policyKey });
      // A takeover by another Policy of the class is a new route, not a reroute.
      const from = prev?.policyKey === policyKey ? prev.route.activeTunnel : undefined;
      changed.push({ site, from, to: route.activeTunnel });
    }
    for (const site of removedSites) {
      this.book.delete(site, p.cls, policyKey);
      changed.push({ site, from: undefined, to: "" });
    }
    const failed: string[] = [];
    await runBounded(changed, PUSH_PARALLELISM, async (c) => {
      try {
        const op = await this.ctx.patronus.putRouting(c.site, { classes: this.book.routesFor(c.site) });
        outcome.pushed++;
        if (c.from !== undefined && c.from !== c.to)
          outcome.reroutes.push({ opId: op.id, site: c.site, from: c.from, to: c.to });
      } catch (err) {
        failed.push(c.site);
        throw err;
      }
    }).catch((err) => {
      // Unpushed sites go back to dirty so the retry recomputes and pushes them.
      for (const s of failed) this.markDirtySilently(policyKey, s);
      throw err;
    });
    return outcome;
  }

  private markDirtySilently(policyKey: string, site: string): void {
    let set = this.dirty.get(policyKey);
    if (!set) {
      set = new Set();
      this.dirty.set(policyKey, set);
    }
    set.add(site);
  }

  private candidates(site: string): Candidate[] {
    const { informers, namespace } = this.ctx;
    const siteObj: Site | undefined = informers.sites.store.get(`${namespace}/${site}`);
    if (!siteObj) return [];
    const types = new Map(siteObj.spec.links.map((l) => [l.name, l.type]));
    const out: Candidate[] = [];
    for (const path of informers.paths.store.byIndex(PATHS_BY_SITE, site)) {
      if (path.metadata.deletionTimestamp) continue;
      const local = path.spec.siteA === site ? path.spec.linkA : path.spec.linkB;
      out.push({ tunnelId: path.metadata.name, linkType: types.get(local) ?? "unknown" });
    }
    return out;
  }
}

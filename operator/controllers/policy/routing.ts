/**
 * Route selection for a traffic class at a site, and the book of routes the operator has pushed.
 * Pure so it is unit-tested: which tunnel carries a class is product logic.
 */
import type { ClassRoute, TunnelTelemetry } from "../../../contract/patronus-api/v1.ts";

export interface Sla {
  maxLatencyMs: number;
  maxJitterMs: number;
  maxLossPercent: number;
}

export interface Candidate {
  tunnelId: string;
  /** Link type of this site's end of the tunnel. */
  linkType: string;
}

/** A tunnel violates a class's SLA when it is not Up or any bound is exceeded. Unknown is not a violation. */
export function violates(sample: TunnelTelemetry | undefined, sla: Sla): boolean {
  if (!sample) return false;
  return (
    sample.state !== "Up" ||
    sample.latencyMs > sla.maxLatencyMs ||
    sample.jitterMs > sla.maxJitterMs ||
    sample.lossPercent > sla.maxLossPercent
  );
}

const MAX_BACKUPS = 8;

/**
 * Orders candidates by preferred link type (then id, for determinism); keeps the current active
 * tunnel while it meets the SLA (no flapping back), else takes the first one that does; if none
 * does, keeps the current one (or the most preferred) rather than moving traffic to another bad link.
 */
export function chooseRoute(
  cls: string,
  candidates: readonly Candidate[],
  preferredLinks: readonly string[],
  sla: Sla,
  telemetry: (tunnelId: string) => TunnelTelemetry | undefined,
  current: string | undefined,
): ClassRoute | undefined {
  if (candidates.length === 0) return undefined;
  const rank = (c: Candidate) => {
    const i = preferredLinks.indexOf(c.linkType);
    return i < 0 ? preferredLinks.length : i;
  };
  const ordered = [...candidates].sort(
    (a, b) => rank(a) - rank(b) || (a.tunnelId < b.tunnelId ? -1 : a.tunnelId > b.tunnelId ? 1 : 0),
  );
  const ok = (c: Candidate) => !violates(telemetry(c.tunnelId), sla);
  const cur = current !== undefined ? ordered.find((c) => c.tunnelId === current) : undefined;
  let active: Candidate;
  if (cur && ok(cur)) active = cur;
  else active = ordered.find(ok) ?? cur ?? ordered[0]!;
  const backups = ordered
    .filter((c) => c !== active)
    .slice(0, MAX_BACKUPS)
    .map((c) => c.tunnelId);
  return { class: cls, activeTunnel: active.tunnelId, backups };
}

export interface BookEntry {
  route: ClassRoute;
  policyKey: string;
}

/**
 * Routes pushed per site and class, with a reverse index from active tunnel to (policy, site) so
 * a telemetry sample finds the classes it carries in O(1). Bounded by sites × classes.
 */
export class RouteBook {
  private readonly bySite = new Map<string, Map<string, BookEntry>>();
  private readonly byActive = new Map<string, Set<string>>();

  get(site: string, cls: string): BookEntry | undefined {
    return this.bySite.get(site)?.get(cls);
  }

  set(site: string, entry: BookEntry): void {
    const prev = this.get(site, entry.route.class);
    if (prev) this.unindex(prev.route.activeTunnel, prev.policyKey, site);
    let m = this.bySite.get(site);
    if (!m) {
      m = new Map();
      this.bySite.set(site, m);
    }
    m.set(entry.route.class, entry);
    this.index(entry.route.activeTunnel, entry.policyKey, site);
  }

  /** Removes the class route of a site; with `owner`, only if that policy still owns it. */
  delete(site: string, cls: string, owner?: string): void {
    const m = this.bySite.get(site);
    const prev = m?.get(cls);
    if (!m || !prev) return;
    if (owner !== undefined && prev.policyKey !== owner) return;
    this.unindex(prev.route.activeTunnel, prev.policyKey, site);
    m.delete(cls);
    if (m.size === 0) this.bySite.delete(site);
  }

  /** Every class route of a site: PUT /sites/{name}/routing replaces the whole set. */
  routesFor(site: string): ClassRoute[] {
    return [...(this.bySite.get(site)?.values() ?? [])]
      .map((e) => e.route)
      .sort((a, b) => (a.class < b.class ? -1 : 1));
  }

  /** (policyKey, site) pairs whose active route is this tunnel. */
  carriedBy(tunnelId: string): { policyKey: string; site: string }[] {
    const set = this.byActive.get(tunnelId);
    if (!set) return [];
    return [...set].map((s) => {
      const i = s.lastIndexOf("|");
      return { policyKey: s.slice(0, i), site: s.slice(i + 1) };
    });
  }

  private index(tunnel: string, policyKey: string, site: string): void {
    let set = this.byActive.get(tunnel);
    if (!set) {
      set = new Set();
      this.byActive.set(tunnel, set);
    }
    set.add(`${policyKey}|${site}`);
  }

  private unindex(tunnel: string, policyKey: string, site: string): void {
    const set = this.byActive.get(tunnel);
    if (!set) return;
    set.delete(`${policyKey}|${site}`);
    if (set.size === 0) this.byActive.delete(tunnel);
  }
}

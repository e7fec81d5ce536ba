/**
 * The Patronus site registry: register (idempotent by name), get, list by name pages, update,
 * deregister. Changes are reported to the simulator, which re-models the site's links and tunnels.
 */
import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { RegisterSiteRequest, Site, SiteList, SiteSpec } from "../../../contract/patronus-api/v1.ts";

export type SiteChange = "registered" | "updated" | "deregistered";

export class ApiConflict extends Error {
  override name = "ApiConflict";
}

export class SiteRegistry {
  private readonly sites = new Map<string, Site>();
  private sorted: string[] | undefined;
  private readonly onChange: (name: string, change: SiteChange, site: Site | undefined) => void;

  constructor(onChange: (name: string, change: SiteChange, site: Site | undefined) => void) {
    this.onChange = onChange;
  }

  get size(): number {
    return this.sites.size;
  }

  get(name: string): Site | undefined {
    return this.sites.get(name);
  }

  /** 201 when new, 200 when the same spec is registered again; conflict on a different spec. */
  register(req: RegisterSiteRequest, nowMs = Date.now()): { site: Site; created: boolean } {
    const { name, ...spec } = req;
    const existing = this.sites.get(name);
    if (existing) {
      if (isDeepStrictEqual(existing.spec, spec)) return { site: existing, created: false };
      throw new ApiConflict(
        `site ${name} is already registered with a different spec (revision ${existing.revision}); update it with PUT /sites/${name}`,
      );
    }
    const at = new Date(nowMs).toISOString();
    const site: Site = { id: siteId(name), name, spec, revision: 1, registeredAt: at, updatedAt: at };
    this.sites.set(name, site);
    this.sorted = undefined;
    this.onChange(name, "registered", site);
    return { site, created: true };
  }

  update(name: string, spec: SiteSpec, nowMs = Date.now()): Site | undefined {
    const existing = this.sites.get(name);
    if (!existing) return undefined;
    if (isDeepStrictEqual(existing.spec, spec)) return existing;
    const site: Site = {
      ...existing,
      spec,
      revision: existing.revision + 1,
      updatedAt: new Date(nowMs).toISOString(),
    };
    this.sites.set(name, site);
    this.onChange(name, "updated", site);
    return site;
  }

  deregister(name: string): boolean {
    if (!this.sites.delete(name)) return false;
    this.sorted = undefined;
    this.onChange(name, "deregistered", undefined);
    return true;
  }

  /** Pages by name; `continueToken` is the last name of the previous page, base64url-encoded. */
  list(limit: number, continueToken: string | undefined): SiteList | undefined {
    this.sorted ??= [...this.sites.keys()].sort();
    let start = 0;
    if (continueToken !== undefined) {
      const after = Buffer.from(continueToken, "base64url").toString("utf8");
      if (after === "" || Buffer.from(after).toString("base64url") !== continueToken) return undefined;
      start = lowerBound(this.sorted, after);
      if (this.sorted[start] === after) start++;
    }
    const names = this.sorted.slice(start, start + limit);
    const items = names.map((n) => this.sites.get(n)!);
    const last = names.at(-1);
    const more = start + limit < this.sorted.length;
    return more && last ? { items, continue: Buffer.from(last).toString("base64url") } : { items };
  }

  names(): IterableIterator<string> {
    return this.sites.keys();
  }
}

function lowerBound(list: readonly string[], key: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Stable across re-registration and runs, so logs and reports line up. */
export function siteId(name: string): string {
  return `st-${createHash("sha256").update(name).digest("hex").slice(0, 16)}`;
}

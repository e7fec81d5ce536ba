/**
 * What the simulated Patronus API received from the operator under test, kept as aggregates of
 * bounded size however many requests arrive: requests by route and status, and objects written
 * by more than one caller (replica) within a window — every replica working on the same objects
 * at once, as replicas without leader election do. Pure: fed entries of the simulator's request
 * log.
 */

export interface RequestEntry {
  atMs: number;
  caller: string;
  method: string;
  route: string;
  name: string | null;
  status: number;
}

/** "PUT /api/v1/sites/{name}" from a method and a route template with `:name`. */
export function routeLabel(method: string, route: string): string {
  return `${method} ${route.replace(/:(\w+)/g, "{$1}")}`;
}

/** Distinct route/status pairs kept; a client calling unknown paths cannot grow it further. */
const MAX_ROUTES = 200;

export class RouteTally {
  private readonly counts = new Map<string, Map<number, number>>();
  total = 0;
  /** Requests whose route was not kept because MAX_ROUTES distinct routes were seen before. */
  untallied = 0;

  add(e: Pick<RequestEntry, "method" | "route" | "status">): void {
    this.total++;
    const key = routeLabel(e.method, e.route);
    let byStatus = this.counts.get(key);
    if (!byStatus) {
      if (this.counts.size >= MAX_ROUTES) {
        this.untallied++;
        return;
      }
      byStatus = new Map();
      this.counts.set(key, byStatus);
    }
    byStatus.set(e.status, (byStatus.get(e.status) ?? 0) + 1);
  }

  /** Routes by request count, most first, each with its statuses by count. */
  routes(): Array<{ route: string; total: number; statuses: Array<{ status: number; count: number }> }> {
    return [...this.counts.entries()]
      .map(([route, byStatus]) => {
        const statuses = [...byStatus.entries()]
          .map(([status, count]) => ({ status, count }))
          .sort((a, b) => b.count - a.count || a.status - b.status);
        return { route, total: statuses.reduce((s, x) => s + x.count, 0), statuses };
      })
      .sort((a, b) => b.total - a.total || a.route.localeCompare(b.route));
  }
}

/** One line per route: "PUT /api/v1/sites/{name}: 1000 × 200, 37 × 429" (status 0: no answer). */
export function describeRoutes(routes: ReturnType<RouteTally["routes"]>, limit = 6): string[] {
  return routes
    .slice(0, limit)
    .map(
      (r) =>
        `${r.route}: ${r.statuses.map((s) => `${s.count} × ${s.status === 0 ? "no answer" : s.status}`).join(", ")}`,
    );
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Objects tracked for concurrent writers; beyond it new names are not followed (counted). */
const MAX_OBJECTS = 200_000;

/**
 * Objects written by more than one caller within `windowMs` of each other. A write is
 * concurrent when another caller's latest write of the same object (route and name) arrived less
 * than the window before or after it; the object then counts once in `objects`.
 */
export class ConcurrentWriters {
  private readonly lastBy = new Map<string, Map<string, number>>();
  private readonly coWritten = new Set<string>();
  private readonly callers = new Set<string>();
  writes = 0;
  concurrentWrites = 0;
  /** Writes to objects not followed because MAX_OBJECTS were followed already. */
  unfollowed = 0;

  readonly windowMs: number;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  add(e: RequestEntry): void {
    if (!WRITES.has(e.method) || e.name === null) return;
    this.writes++;
    this.callers.add(e.caller);
    const object = `${e.route.replace(/\/:\w+$/, "")}/${e.name}`;
    let last = this.lastBy.get(object);
    if (!last) {
      if (this.lastBy.size >= MAX_OBJECTS) {
        this.unfollowed++;
        return;
      }
      last = new Map();
      this.lastBy.set(object, last);
    }
    for (const [caller, at] of last) {
      // The log is in completion order and atMs is arrival: the other write may have arrived later.
      if (caller !== e.caller && Math.abs(e.atMs - at) < this.windowMs) {
        this.concurrentWrites++;
        this.coWritten.add(object);
        break;
      }
    }
    last.set(e.caller, Math.max(last.get(e.caller) ?? 0, e.atMs));
  }

  /** Objects written by two callers or more within the window. */
  get objects(): number {
    return this.coWritten.size;
  }

  get callerCount(): number {
    return this.callers.size;
  }

  examples(limit = 5): string[] {
    return [...this.coWritten].slice(0, limit);
  }
}

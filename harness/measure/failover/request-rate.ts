/**
 * The simulator's served-request rate from its cumulative request counter, one point per ≥ 900 ms
 * window. `due` says whether reading the counter now can produce a point: the poll runs every
 * 250 ms for fault events, and fetching and parsing the simulator's /metrics on every poll cost
 * both processes CPU for three readings in four that were thrown away.
 */
const WINDOW_MS = 900;

export class RequestRate {
  private last: { at: number; count: number } | undefined;

  due(now: number): boolean {
    return this.last === undefined || now - this.last.at >= WINDOW_MS;
  }

  /** A counter reading; returns the rate (1/s, one decimal) when a window closed with it. */
  reading(count: number, now: number): number | undefined {
    const last = this.last;
    if (!last || now <= last.at) {
      this.last = { at: now, count };
      return undefined;
    }
    if (now - last.at < WINDOW_MS) return undefined;
    this.last = { at: now, count };
    return Math.round(((count - last.count) / (now - last.at)) * 1000 * 10) / 10;
  }
}

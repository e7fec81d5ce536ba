/**
 * What each caller (operator replica) asked of the Patronus API and what it was refused, from the
 * simulator's per-caller counters at the end of the run: requests, 429s from the per-caller rate
 * limit (an operator flooding the API shows here, and the simulator bounds what it serves), and
 * requests whose client hung up before the answer.
 */
import type { Measurement, MeasurementContext } from "../measurement.ts";

export class PatronusApiCallersMeasurement implements Measurement {
  readonly name = "patronus-api-callers";

  async start(): Promise<void> {}

  async stop(ctx: MeasurementContext): Promise<void> {
    if (!ctx.mesh.callerCounts) return;
    let counts: Awaited<ReturnType<NonNullable<typeof ctx.mesh.callerCounts>>>;
    try {
      counts = await ctx.mesh.callerCounts();
    } catch (err) {
      ctx.events.record("scrape.failures", this.name, { count: 1, error: (err as Error).message });
      return;
    }
    if (!counts) return;
    let limited = 0;
    for (const [caller, n] of Object.entries(counts.rateLimited)) {
      ctx.store.count(`patronus_api_rate_limited{caller="${caller}"}`, n);
      limited += n;
    }
    ctx.store.count("patronus_api_rate_limited", limited);
    for (const [caller, n] of Object.entries(counts.requests))
      ctx.store.count(`patronus_api_requests{caller="${caller}"}`, n);
    ctx.store.count("patronus_api_aborted", counts.aborted);
  }
}

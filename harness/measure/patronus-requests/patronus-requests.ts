/**
 * Reads the simulator's per-caller request log during the run (every second, a bounded number of
 * pages per round) into aggregates of bounded size (./tally.ts): what the Patronus API received,
 * by route and status, for the run's diagnosis, and which objects several replicas wrote at once:
 * objects_written_concurrently (objects written by two replicas or more within 5 s of each other)
 * and concurrent_writes (such writes). A client flooding the API cannot make the harness read
 * without end: what the log evicted before it was read is counted (patronus_requests_unread).
 */
import type { Measurement, MeasurementContext } from "../measurement.ts";
import { SamplingLoop } from "../sampling-loop.ts";
import { ConcurrentWriters, describeRoutes, RouteTally } from "./tally.ts";

/** Two replicas writing one object within this long of each other are writing it at once. */
export const CONCURRENT_WINDOW_MS = 5000;
const POLL_MS = 1000;
/** Pages (of the simulator's 5000) read per round: beyond it a flood waits for the next round. */
const PAGES_PER_ROUND = 4;

export class PatronusRequestsMeasurement implements Measurement {
  readonly name = "patronus-requests";
  readonly routes = new RouteTally();
  readonly writers = new ConcurrentWriters(CONCURRENT_WINDOW_MS);
  private since = 0;
  private unread = 0;
  private loop: SamplingLoop | undefined;
  private failures = 0;

  async start(ctx: MeasurementContext): Promise<void> {
    if (!ctx.mesh.requests) return;
    this.loop = new SamplingLoop(POLL_MS, () => this.read(ctx, PAGES_PER_ROUND));
  }

  private async read(ctx: MeasurementContext, pages: number): Promise<void> {
    const requests = ctx.mesh.requests;
    if (!requests) return;
    for (let i = 0; i < pages; i++) {
      let page: Awaited<ReturnType<typeof requests>>;
      try {
        page = await requests(this.since);
      } catch {
        this.failures++;
        return; // the simulator may be paused or restarting on purpose
      }
      // Entries evicted from the bounded log before this read.
      if (page.firstSeq > this.since + 1) this.unread += page.firstSeq - this.since - 1;
      for (const e of page.requests) {
        this.routes.add(e);
        this.writers.add(e);
      }
      if (page.requests.length === 0 || page.lastSeq <= this.since) return;
      this.since = page.lastSeq;
    }
  }

  async stop(ctx: MeasurementContext): Promise<void> {
    await this.loop?.stop();
    if (!ctx.mesh.requests) return;
    await this.read(ctx, PAGES_PER_ROUND * 5);
    ctx.store.gauge("objects_written_concurrently", this.writers.objects, "count");
    ctx.store.count("concurrent_writes", this.writers.concurrentWrites);
    ctx.store.count("patronus_requests_unread", this.unread);
    ctx.events.record("patronus-requests", this.name, {
      total: this.routes.total,
      routes: describeRoutes(this.routes.routes(), 10),
      writers: this.writers.callerCount,
      writes: this.writers.writes,
      concurrentWrites: this.writers.concurrentWrites,
      objectsWrittenConcurrently: this.writers.objects,
      examples: this.writers.examples(),
      windowMs: CONCURRENT_WINDOW_MS,
      ...(this.unread > 0 ? { unread: this.unread } : {}),
      ...(this.failures > 0 ? { failedReads: this.failures } : {}),
    });
  }
}

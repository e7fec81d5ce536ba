/**
 * Heap-used and RSS once a second without touching the operator's /metrics (rendering /metrics
 * allocates, and would show up among the very allocation sites being profiled): heap from the
 * inspector (Runtime.getHeapUsage), RSS from /proc/<pid>/statm.
 */
import { readFile } from "node:fs/promises";
import type { CdpSession } from "../inspector/cdp.ts";

/** Linux's page size on the machines this runs on (x86-64, arm64 with 4 KiB pages). */
const PAGE_BYTES = 4096;

export async function rssBytes(pid: number): Promise<number | undefined> {
  try {
    const fields = (await readFile(`/proc/${pid}/statm`, "utf8")).trim().split(/\s+/);
    const pages = Number(fields[1]);
    return Number.isFinite(pages) ? pages * PAGE_BYTES : undefined;
  } catch {
    return undefined;
  }
}

export class HeapSampler {
  readonly heapUsed: [number, number][] = [];
  readonly rss: [number, number][] = [];
  errors = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private readonly session: CdpSession;
  private readonly pid: number;
  private readonly now: () => number;

  constructor(session: CdpSession, pid: number, now: () => number) {
    this.session = session;
    this.pid = pid;
    this.now = now;
  }

  start(intervalMs = 1000): void {
    const tick = () => {
      if (this.inFlight) return;
      const t = Math.round(this.now() * 1000) / 1000;
      this.inFlight = (async () => {
        try {
          const { usedSize } = await this.session.send<{ usedSize: number }>(
            "Runtime.getHeapUsage",
            {},
            5000,
          );
          this.heapUsed.push([t, usedSize]);
        } catch {
          this.errors++;
        }
        const rss = await rssBytes(this.pid);
        if (rss !== undefined) this.rss.push([t, rss]);
      })().finally(() => {
        this.inFlight = undefined;
      });
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }
}

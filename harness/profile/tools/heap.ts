/**
 * heap: a sampling heap profile of the leader over the window (bytes allocated per site,
 * including objects already collected, so it shows what drives GC), saved as .heapprofile for
 * Chrome DevTools, plus heap-used and RSS series (inspector and /proc, not /metrics) with a
 * growth fit.
 */
import { join } from "node:path";
import { writeFileAtomic } from "../../results/write.ts";
import { analyseHeapProfile, parseHeapProfile } from "../heap/analyse.ts";
import { fitGrowth } from "../series/growth.ts";
import { HeapSampler } from "../series/heap-sampler.ts";
import type { ProfilerTool, ToolResult, WindowTarget } from "./tool.ts";

export const HEAP_PROFILE_FILE = "operator-leader.heapprofile";
/**
 * Bytes between samples: V8's default 512 KiB says little over a short window; at 32 KiB a
 * 1000-Site leader lost its lease in 2 of 3 churn runs on a loaded machine (cause not isolated).
 */
export const HEAP_SAMPLING_INTERVAL = 128 * 1024;

const MiB = 1024 * 1024;

export class HeapProfilerTool implements ProfilerTool {
  readonly name = "heap" as const;
  readonly needsInspector = true;
  private sampler: HeapSampler | undefined;
  private readonly top: number;

  constructor(top = 20) {
    this.top = top;
  }

  async start(w: WindowTarget): Promise<void> {
    const s = w.session;
    if (!s) throw new Error("the heap profiler needs an inspector session");
    await s.send("HeapProfiler.enable");
    await s.send("HeapProfiler.startSampling", {
      samplingInterval: HEAP_SAMPLING_INTERVAL,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    this.sampler = new HeapSampler(s, w.target.pid, w.now);
    this.sampler.start();
  }

  async stop(w: WindowTarget): Promise<ToolResult> {
    await this.sampler?.stop();
    const heapUsed = this.sampler?.heapUsed ?? [];
    const rss = this.sampler?.rss ?? [];
    const scrapeErrors = this.sampler?.errors ?? 0;
    const s = w.session;
    if (!s) throw new Error("the heap profiler needs an inspector session");
    const { profile: raw } = await s.send<{ profile: unknown }>("HeapProfiler.stopSampling", {}, 120_000);
    const profile = parseHeapProfile(raw, `the heap profile of ${w.target.name}`);
    await writeFileAtomic(join(w.dir, HEAP_PROFILE_FILE), JSON.stringify(profile));
    const a = analyseHeapProfile(profile, this.top);
    const heapGrowth = fitGrowth(heapUsed);
    const rssGrowth = fitGrowth(rss);
    const lines = [
      `sampled allocations ${(a.sampledBytes / MiB).toFixed(1)} MiB; modules: ${a.modules
        .slice(0, 6)
        .map((m) => `${m.module} ${m.percent} %`)
        .join(", ")}`,
      `${heapUsed.length} heap and ${rss.length} RSS samples over the window${scrapeErrors ? ` (${scrapeErrors} heap reads failed)` : ""}`,
      growthLine("heap used", heapGrowth),
      growthLine("RSS", rssGrowth),
      "top allocation sites:",
      ...a.sites
        .slice(0, 10)
        .map(
          (x) =>
            `  ${(x.bytes / MiB).toFixed(2).padStart(8)} MiB ${x.percent.toFixed(1).padStart(5)} %  ${x.function}  [${x.module}]`,
        ),
    ];
    return {
      profile: {
        heapprofile: HEAP_PROFILE_FILE,
        heapSamplingIntervalBytes: HEAP_SAMPLING_INTERVAL,
        sampledAllocationBytes: a.sampledBytes,
        allocationSites: a.sites,
        allocationModules: a.modules,
        series: { heap_used_bytes: heapUsed, rss_bytes: rss },
        growth: { heapUsed: heapGrowth ?? null, rss: rssGrowth ?? null },
        growing: Boolean(heapGrowth?.growing || rssGrowth?.growing),
        samples: { heap: heapUsed.length, rss: rss.length, failed: scrapeErrors },
      },
      artifacts: [HEAP_PROFILE_FILE],
      lines,
    };
  }
}

function growthLine(what: string, g: ReturnType<typeof fitGrowth>): string {
  if (!g) return `${what}: too few points to fit growth`;
  const rate = `${(g.slopePerSecond / MiB).toFixed(3)} MiB/s (r² ${g.r2})`;
  return g.growing
    ? `${what}: GROWING ${rate}, +${(g.fittedChange / MiB).toFixed(1)} MiB over the window`
    : `${what}: no material growth (${rate})`;
}

/**
 * cpu (and flame): a V8 CPU profile of the leader over the window through the inspector's
 * Profiler domain, saved as a .cpuprofile, analysed into profile.hotPaths; `flame` also writes a
 * self-contained flame graph HTML of the same profile.
 */
import { join } from "node:path";
import { writeFileAtomic } from "../../results/write.ts";
import { analyseCpuProfile, type CpuAnalysis } from "../cpu/analyse.ts";
import { parseCpuProfile } from "../cpu/cpuprofile.ts";
import { flameGraphHtml } from "../flame/flamegraph.ts";
import type { ProfilerTool, ToolName, ToolResult, WindowTarget } from "./tool.ts";

/** µs between samples: V8's default; finer costs the operator more than it tells. */
export const SAMPLING_INTERVAL_US = 1000;
export const CPU_PROFILE_FILE = "operator-leader.cpuprofile";
export const FLAME_FILE = "operator-leader-flame.html";

function session(w: WindowTarget) {
  if (!w.session) throw new Error("the cpu profiler needs an inspector session");
  return w.session;
}

export class CpuProfilerTool implements ProfilerTool {
  readonly name: ToolName;
  readonly needsInspector = true;
  private readonly top: number;

  constructor(name: "cpu" | "flame", top = 20) {
    this.name = name;
    this.top = top;
  }

  async start(w: WindowTarget): Promise<void> {
    const s = session(w);
    await s.send("Profiler.enable");
    await s.send("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
    await s.send("Profiler.start");
  }

  async stop(w: WindowTarget): Promise<ToolResult> {
    const { profile: raw } = await session(w).send<{ profile: unknown }>("Profiler.stop", {}, 120_000);
    const profile = parseCpuProfile(raw, `the CPU profile of ${w.target.name}`);
    await writeFileAtomic(join(w.dir, CPU_PROFILE_FILE), JSON.stringify(profile));
    const artifacts = [CPU_PROFILE_FILE];
    if (this.name === "flame") {
      await writeFileAtomic(
        join(w.dir, FLAME_FILE),
        flameGraphHtml(profile, `Operator leader ${w.target.identity} — CPU flame graph`),
      );
      artifacts.push(FLAME_FILE);
    }
    const a = analyseCpuProfile(profile, this.top);
    return {
      profile: cpuProfileSection(a, CPU_PROFILE_FILE),
      hotPaths: a.topSelf.map(hotPath),
      artifacts,
      lines: cpuSummaryLines(a),
    };
  }
}

function hotPath(f: CpuAnalysis["topSelf"][number]) {
  return {
    function: f.function,
    module: f.module,
    url: f.url,
    line: f.line,
    selfPercent: f.selfPercent,
    totalPercent: f.totalPercent,
    selfSamples: f.selfSamples,
    totalSamples: f.totalSamples,
  };
}

export function cpuProfileSection(a: CpuAnalysis, file: string): Record<string, unknown> {
  return {
    cpuprofile: file,
    samples: a.samples,
    durationMs: a.durationMs,
    samplingIntervalMs: a.intervalMs,
    busyPercent: a.busyPercent,
    accountedPercent: a.accountedPercent,
    modules: a.modules,
    byTotal: a.topTotal.map(hotPath),
  };
}

export function cpuSummaryLines(a: CpuAnalysis, n = 10): string[] {
  const lines = [
    `${a.samples} samples over ${(a.durationMs / 1000).toFixed(1)} s, busy ${a.busyPercent} %, grouped ${a.accountedPercent} %`,
    `modules: ${a.modules
      .slice(0, 8)
      .map((m) => `${m.module} ${m.selfPercent} %`)
      .join(", ")}`,
    "top functions by self time:",
  ];
  for (const f of a.topSelf.slice(0, n))
    lines.push(
      `  ${f.selfPercent.toFixed(2).padStart(6)} % self ${f.totalPercent.toFixed(2).padStart(6)} % total  ${f.function}  [${f.module}]`,
    );
  return lines;
}

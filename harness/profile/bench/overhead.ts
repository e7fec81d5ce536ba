/**
 * Benchmark: what profiling costs the operator. Runs a scenario twice — plainly, then with
 * `patronus-bench profile` on the same window — and writes the comparison (window duration,
 * operator CPU and event-loop delay over the window, latency percentiles) to
 * reports/profile-overhead-<scenario>-<tool>-<timestamp>.json.
 *
 *   node harness/profile/bench/overhead.ts <scenario> [cpu|heap|flame|doctor] [--sites N]
 *
 * One pair of runs on a shared machine is noisy: read the figures with the run-to-run spread of
 * the scenario in mind (see harness/profile/README.md).
 */
import { resolve } from "node:path";
import { HarnessError } from "../../errors.ts";
import type { Results } from "../../results/schema.ts";
import { writeFileAtomic } from "../../results/write.ts";
import { runOnce } from "../../run/orchestrator.ts";
import { defaultOutDir, prepareOutDir, timestamp } from "../../run/output-dir.ts";
import { ConsoleProgress } from "../../run/progress.ts";
import { loadScenario } from "../../scenario/load.ts";
import { profileScenario } from "../index.ts";
import { parseProfileOptions } from "../options.ts";
import { resolveWindow, type WindowSpec } from "../window.ts";

interface WindowFigures {
  dir: string;
  windowSeconds: number;
  operatorCpuCoresMean: number | null;
  /** CPU mean × window: for a fixed amount of work (scale-1000) the figure to compare. */
  operatorCpuSeconds: number | null;
  operatorEventLoopDelayMeanMs: number | null;
  latencyP50Ms: Record<string, number>;
  latencyP99Ms: Record<string, number>;
  runSeconds: number;
  verdict: string;
}

const LATENCIES = ["site_ready_latency", "update_observed_latency", "path_status_latency", "reconcile_time"];

function phaseTime(v: number | string): number {
  return typeof v === "number" ? v : Number.NaN;
}

function meanIn(results: Results, metric: string, from: number, to: number): number | null {
  const m = results.metrics[metric];
  if (m?.type !== "series") return null;
  const pts = m.points.filter(([t]) => t >= from && t <= to);
  if (pts.length === 0) return null;
  return Math.round((pts.reduce((s, [, v]) => s + v, 0) / pts.length) * 1000) / 1000;
}

export function windowFigures(results: Results, dir: string, w: WindowSpec): WindowFigures {
  const from = results.phases.find((p) => p.name === w.from);
  const to = results.phases.find((p) => p.name === w.to);
  if (!from || !to) throw new HarnessError(`${dir}: the window ${w.from}..${w.to} did not run`);
  const start = phaseTime(from.startedAt);
  const end = phaseTime(to.finishedAt);
  const p50: Record<string, number> = {};
  const p99: Record<string, number> = {};
  for (const name of LATENCIES) {
    const m = results.metrics[name];
    if (m?.type === "distribution") {
      p50[name] = m.p50;
      p99[name] = m.p99;
    }
  }
  const duration = results.metrics.run_duration_seconds;
  const cpu = meanIn(results, "operator_cpu_cores", start, end);
  return {
    dir,
    windowSeconds: Math.round((end - start) * 1000) / 1000,
    operatorCpuCoresMean: cpu,
    operatorCpuSeconds: cpu === null ? null : Math.round(cpu * (end - start) * 100) / 100,
    operatorEventLoopDelayMeanMs: meanIn(results, "operator_event_loop_delay", start, end),
    latencyP50Ms: p50,
    latencyP99Ms: p99,
    runSeconds: duration?.type === "gauge" ? duration.value : Number.NaN,
    verdict: results.verdict,
  };
}

async function main(argv: string[]): Promise<void> {
  const [ref, toolArg = "cpu"] = argv.filter((a, i) => !a.startsWith("--") && argv[i - 1] !== "--sites");
  if (!ref) throw new HarnessError("usage: overhead.ts <scenario> [cpu|heap|flame|doctor] [--sites N]");
  const sitesAt = argv.indexOf("--sites");
  const sites = sitesAt >= 0 ? Number(argv[sitesAt + 1]) : undefined;
  const { tool } = parseProfileOptions({ tool: toolArg });
  const { definition } = await loadScenario(ref, sites ? { sites } : {});
  const def = { ...definition, repeats: 1 };
  const w = resolveWindow(def, undefined);

  const plainDir = await prepareOutDir(defaultOutDir(`${def.name}-plain`));
  process.stderr.write(`plain run → ${plainDir}\n`);
  const plain = await runOnce(def, {
    dir: plainDir,
    id: `${def.name}-plain-${timestamp()}`,
    progress: new ConsoleProgress(process.stderr),
  });
  const profiled = await profileScenario(ref, { tool, noReport: true, ...(sites ? { sites } : {}) });
  const a = windowFigures(plain, plainDir, w);
  const b = windowFigures(profiled.results, profiled.dir, w);
  const ratio = (x: number | null, y: number | null) => (x && y ? Math.round((y / x) * 1000) / 1000 : null);
  const report = {
    benchmark: "profile-overhead",
    scenario: def.name,
    tool,
    window: w,
    at: new Date().toISOString(),
    plain: a,
    profiled: b,
    ratios: {
      windowSeconds: ratio(a.windowSeconds, b.windowSeconds),
      operatorCpuCoresMean: ratio(a.operatorCpuCoresMean, b.operatorCpuCoresMean),
      operatorCpuSeconds: ratio(a.operatorCpuSeconds, b.operatorCpuSeconds),
      operatorEventLoopDelayMeanMs: ratio(a.operatorEventLoopDelayMeanMs, b.operatorEventLoopDelayMeanMs),
      ...Object.fromEntries(
        Object.keys(a.latencyP99Ms).map((k) => [
          `${k}_p99`,
          ratio(a.latencyP99Ms[k] ?? null, b.latencyP99Ms[k] ?? null),
        ]),
      ),
    },
    hotPaths: profiled.results.profile?.hotPaths?.slice(0, 15) ?? [],
    modules: (profiled.results.profile as { modules?: unknown } | undefined)?.modules ?? null,
  };
  const out = resolve("reports", `profile-overhead-${def.name}-${tool}-${timestamp()}.json`);
  await writeFileAtomic(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report.ratios)}\n${out}\n`);
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}

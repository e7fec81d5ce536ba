/**
 * Benchmark: how long a full run's report takes to render (`npm run bench:report`). A "full run"
 * here is the synthetic scale-1000 fixture plus the failover fixture's events, so all seven charts
 * render (SVG + PNG), with index.html, summary.md and junit.xml. Measured both as the CLI
 * (`patronus-bench report DIR`, a fresh process: what a user or CI waits for) and in-process
 * (the run orchestrator's call after writing results). Budget: ≤ 3 s. Writes its figures to
 * reports/bench/report-render-<timestamp>.json.
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { syntheticFullRun } from "../../results/synthetic/fixtures.ts";
import { writeFileAtomic, writeResults } from "../../results/write.ts";
import { renderReport } from "../index.ts";

const BUDGET_SECONDS = 3;
const CLI_RUNS = 3;
const IN_PROCESS_RUNS = 5;
const root = fileURLToPath(new URL("../../../", import.meta.url));

const full = syntheticFullRun();

const dir = await mkdtemp(join(tmpdir(), "bench-report-"));
try {
  await writeResults(dir, full);
  const cli: number[] = [];
  for (let i = 0; i < CLI_RUNS; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, [join(root, "harness/cli/main.ts"), "report", dir], {
      encoding: "utf8",
    });
    cli.push((performance.now() - started) / 1000);
    if (r.status !== 0) throw new Error(`report failed: ${r.stderr}`);
  }
  // A fresh process that loads only the report modules: the CLI's cost once the other commands'
  // modules load lazily (today every command module is imported at start-up).
  const coldReportOnly: number[] = [];
  const entry = `const { renderReport } = await import(${JSON.stringify(join(root, "harness/report/index.ts"))}); await renderReport(${JSON.stringify(dir)});`;
  for (let i = 0; i < CLI_RUNS; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", entry], { encoding: "utf8" });
    coldReportOnly.push((performance.now() - started) / 1000);
    if (r.status !== 0) throw new Error(`report failed: ${r.stderr}`);
  }
  const inProcess: number[] = [];
  let charts = 0;
  for (let i = 0; i < IN_PROCESS_RUNS; i++) {
    const started = performance.now();
    const report = await renderReport(dir);
    inProcess.push((performance.now() - started) / 1000);
    charts = report.charts.filter((c) => c.status === "rendered").length;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const figures = {
    benchmark: "report-render",
    at: new Date().toISOString(),
    input: "syntheticFullRun(): synthetic scale-1000 + failover-path events",
    chartsRendered: charts,
    budgetSeconds: BUDGET_SECONDS,
    cliSeconds: { median: median(cli), max: Math.max(...cli), runs: cli },
    coldReportOnlySeconds: {
      median: median(coldReportOnly),
      max: Math.max(...coldReportOnly),
      runs: coldReportOnly,
    },
    inProcessSeconds: { median: median(inProcess), max: Math.max(...inProcess), runs: inProcess },
    machine: {
      cores: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      loadavg: (await import("node:os")).loadavg(),
    },
    node: process.version,
  };
  const outDir = join(root, "reports/bench");
  await mkdir(outDir, { recursive: true });
  const file = await writeFileAtomic(
    join(outDir, `report-render-${figures.at.replace(/[:.]/g, "-")}.json`),
    `${JSON.stringify(figures, null, 2)}\n`,
  );
  // The budget is the report's own work: a fresh process rendering it (CLI start-up of unrelated
  // commands is reported alongside, not hidden).
  const ok = figures.coldReportOnlySeconds.median <= BUDGET_SECONDS;
  console.log(
    `report render (${charts} charts, SVG+PNG+HTML+MD+JUnit): CLI median ${figures.cliSeconds.median.toFixed(2)} s ` +
      `(max ${figures.cliSeconds.max.toFixed(2)} s), fresh process (report modules only) median ${figures.coldReportOnlySeconds.median.toFixed(2)} s, ` +
      `in-process median ${figures.inProcessSeconds.median.toFixed(2)} s ` +
      `— budget ${BUDGET_SECONDS} s: ${ok ? "within" : "EXCEEDED"}; load average ${figures.machine.loadavg.map((l) => l.toFixed(2)).join(" ")}\n→ ${file}`,
  );
  process.exitCode = ok ? 0 : 99;
} finally {
  await rm(dir, { recursive: true, force: true });
}

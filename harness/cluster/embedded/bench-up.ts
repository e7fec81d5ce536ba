/**
 * Benchmark: `patronus-bench up --check` with cached binaries, N times (default 5), as a user
 * runs it — a fresh process each time. Prints median/min/max of the "ready in" figure and writes
 * them to reports/bench-up-<timestamp>/bench.json.
 */
import { spawnSync } from "node:child_process";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT, REPORTS_DIR } from "../../paths.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
  console.error("--runs must be an integer from 1 to 50");
  process.exit(1);
}

const readyTimes: number[] = [];
const wallTimes: number[] = [];
for (let i = 1; i <= runs; i++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(REPO_ROOT, "harness/cli/main.ts"), "up", "--check"], {
    encoding: "utf8",
  });
  const wall = (performance.now() - t0) / 1000;
  const m = r.stdout.match(/ready in ([\d.]+)s/);
  if (r.status !== 0 || !m) {
    console.error(`run ${i} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  readyTimes.push(Number(m[1]));
  wallTimes.push(wall);
  console.log(`run ${i}/${runs}: ready in ${m[1]}s (process wall time ${wall.toFixed(2)}s)`);
}

const sorted = [...readyTimes].sort((a, b) => a - b);
const median =
  sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]!
    : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
const summary = {
  benchmark: "up-check",
  runs,
  readySeconds: { median, min: sorted[0], max: sorted[sorted.length - 1], all: readyTimes },
  wallSeconds: wallTimes,
  machine: { cores: cpus().length, memoryBytes: totalmem(), cpuModel: cpus()[0]?.model },
  node: process.version,
  at: new Date().toISOString(),
};
console.log(
  `up --check ready: median ${median.toFixed(2)}s, min ${sorted[0]!.toFixed(2)}s, max ${sorted.at(-1)!.toFixed(2)}s over ${runs} runs`,
);
const dir = join(REPORTS_DIR, `bench-up-${summary.at.replace(/[:.]/g, "-")}`);
await mkdir(dir, { recursive: true });
await writeFile(join(dir, "bench.json.tmp"), `${JSON.stringify(summary, null, 2)}\n`);
await rename(join(dir, "bench.json.tmp"), join(dir, "bench.json"));
console.log(`wrote ${join(dir, "bench.json")}`);

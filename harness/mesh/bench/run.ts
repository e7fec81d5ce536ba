/**
 * npm run bench:mesh [-- --sites 1000 --seconds 60 --tick-ms 1000 --warmup 5 --out DIR]
 *
 * Runs the simulator as its own process (harness/mesh/main.ts, preloaded world), holds one
 * telemetry subscriber on it, and measures the simulator's CPU (cores, from /proc/<pid>/stat
 * deltas over the measured window) and RSS (sampled each second). Writes
 * reports/bench-mesh-<timestamp>/results.json (tmp + rename) and prints a summary.
 */
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import { createParser } from "eventsource-parser";
import { z } from "zod";
import { describeError, HarnessError } from "../../errors.ts";
import { ProcessSet } from "../../process/supervisor.ts";
import { READY_PREFIX } from "../process.ts";
import { cpuSeconds, rssBytes } from "./proc-stat.ts";

const MESH_MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const GOALS = { cpuCores: 0.1, rssBytes: 150 * 1024 * 1024 };

const BenchOptions = z.strictObject({
  sites: z.number().int().min(1).max(200_000),
  seconds: z.number().int().min(1).max(3600),
  tickMs: z.number().int().min(10).max(60_000),
  warmup: z.number().int().min(0).max(600),
  out: z.string().optional(),
  /** Extra flags for the simulator's node, e.g. "--max-semi-space-size=2" (recorded in the results). */
  nodeFlags: z.string().default(""),
});
type BenchOptions = z.infer<typeof BenchOptions>;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface StreamStats {
  events: number;
  snapshots: number;
  tunnelUpdates: number;
  bytes: number;
  gaps: number;
  lastCursor: number;
}

/** One SSE subscriber that counts what it receives and checks cursors are consecutive. */
async function subscribe(url: string, token: string, signal: AbortSignal, stats: StreamStats): Promise<void> {
  const res = await fetch(`${url}/api/v1/telemetry/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal,
  });
  if (!res.ok || !res.body) throw new HarnessError(`telemetry stream answered ${res.status}`);
  const parser = createParser({
    onEvent: (e) => {
      stats.events++;
      const body = JSON.parse(e.data) as { cursor: number; tunnels: unknown[] };
      if (e.event === "snapshot") stats.snapshots++;
      else if (stats.lastCursor && body.cursor !== stats.lastCursor + 1) stats.gaps++;
      stats.lastCursor = body.cursor;
      stats.tunnelUpdates += body.tunnels.length;
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body) {
      stats.bytes += (chunk as Uint8Array).length;
      parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}

export async function runMeshBench(
  o: BenchOptions,
): Promise<{ dir: string; results: Record<string, unknown> }> {
  const work = await mkdtemp(join(os.tmpdir(), "bench-mesh-"));
  const procs = new ProcessSet();
  const abort = new AbortController();
  try {
    const tokenFile = join(work, "token");
    let out = "";
    let readyUrl: ((u: string) => void) | undefined;
    const ready = new Promise<string>((resolve) => {
      readyUrl = resolve;
    });
    const args = [
      "--sites",
      String(o.sites),
      "--port",
      "0",
      "--token-file",
      tokenFile,
      "--preload",
      "--tick-ms",
      String(o.tickMs),
    ];
    const startedAt = new Date();
    const nodeFlags = o.nodeFlags.split(/\s+/).filter(Boolean);
    const sim = procs.start("mesh-simulator", process.execPath, [...nodeFlags, MESH_MAIN, ...args], {
      logFile: join(work, "simulator.log"),
      onOutput: (chunk) => {
        out += chunk;
        const m = new RegExp(`${READY_PREFIX}(http://\\S+)`).exec(out);
        if (m) readyUrl?.(m[1]!);
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const url = await Promise.race([
      ready,
      sim.exited.then((e) =>
        Promise.reject(new HarnessError(`simulator exited (${e.code}): ${sim.outputTail()}`)),
      ),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new HarnessError(`simulator not ready in 120 s: ${sim.outputTail()}`)),
          120_000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const token = (await readFile(tokenFile, "utf8")).trim();
    const health = (await (await fetch(`${url}/healthz`)).json()) as { sites: number; tunnels: number };
    const startupRss = await rssBytes(sim.pid);

    const stats: StreamStats = {
      events: 0,
      snapshots: 0,
      tunnelUpdates: 0,
      bytes: 0,
      gaps: 0,
      lastCursor: 0,
    };
    const streaming = subscribe(url, token, abort.signal, stats);
    console.log(
      `simulator ready at ${url}: ${health.sites} sites, ${health.tunnels} tunnels; warming up ${o.warmup} s`,
    );
    await sleep(o.warmup * 1000);

    const load0 = os.loadavg()[0]!;
    const cpu0 = await cpuSeconds(sim.pid);
    const t0 = performance.now();
    const updates0 = stats.tunnelUpdates;
    const events0 = stats.events;
    const rss: [number, number][] = [];
    for (let i = 1; i <= o.seconds; i++) {
      await sleep(Math.max(0, t0 + i * 1000 - performance.now()));
      if (!sim.running) throw new HarnessError(`simulator died during the run: ${sim.outputTail()}`);
      rss.push([Math.round((performance.now() - t0) / 100) / 10, await rssBytes(sim.pid)]);
      if (i % 10 === 0)
        console.log(`  ${i}/${o.seconds} s, rss ${(rss.at(-1)![1] / 2 ** 20).toFixed(1)} MiB`);
    }
    const cpu1 = await cpuSeconds(sim.pid);
    const wall = (performance.now() - t0) / 1000;
    const load1 = os.loadavg()[0]!;
    abort.abort();
    await streaming.catch(() => {});

    const cores = (cpu1 - cpu0) / wall;
    const rssValues = rss.map(([, v]) => v);
    const rssMax = Math.max(...rssValues);
    const rssMean = rssValues.reduce((a, b) => a + b, 0) / rssValues.length;
    const results = {
      schemaVersion: 1,
      kind: "bench-mesh",
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      params: { ...o, subscribers: 1 },
      world: { sites: health.sites, tunnels: health.tunnels },
      metrics: {
        mesh_cpu_cores: { type: "gauge", unit: "cores", value: round(cores, 4) },
        mesh_rss_bytes: { type: "gauge", unit: "bytes", value: rssMax },
        mesh_rss_mean_bytes: { type: "gauge", unit: "bytes", value: Math.round(rssMean) },
        mesh_startup_rss_bytes: { type: "gauge", unit: "bytes", value: startupRss },
        mesh_rss_series: { type: "series", unit: "bytes", points: rss },
        telemetry_tunnel_updates_per_second: {
          type: "gauge",
          unit: "1/s",
          value: round((stats.tunnelUpdates - updates0) / wall, 1),
        },
        telemetry_events: { type: "counter", unit: "events", value: stats.events - events0 },
        telemetry_bytes: { type: "counter", unit: "bytes", value: stats.bytes },
        telemetry_cursor_gaps: { type: "counter", unit: "gaps", value: stats.gaps },
      },
      goals: GOALS,
      withinGoals: cores <= GOALS.cpuCores && rssMax <= GOALS.rssBytes,
      machine: {
        cores: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? "unknown",
        memoryBytes: os.totalmem(),
        node: process.version,
        loadAverage1m: { start: load0, end: load1 },
      },
      measuredSeconds: round(wall, 2),
    };
    const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
    const dir = o.out ?? join(REPO, "reports", `bench-mesh-${o.sites}-${stamp}`);
    await mkdir(dir, { recursive: true });
    const file = join(dir, "results.json");
    await writeFile(`${file}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
    await rename(`${file}.tmp`, file);
    return { dir, results };
  } finally {
    abort.abort();
    await procs.stopAll();
    await rm(work, { recursive: true, force: true });
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function int(v: string): number {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError("must be a non-negative integer");
  return Number(v);
}

if (import.meta.main) {
  const program = new Command("bench:mesh")
    .description("Measure the mesh simulator's CPU and RSS with one telemetry subscriber")
    .option("--sites <n>", "sites (preloaded world)", int, 1000)
    .option("--seconds <n>", "measured seconds", int, 60)
    .option("--tick-ms <ms>", "telemetry tick", int, 1000)
    .option("--warmup <s>", "seconds before measuring", int, 5)
    .option("--out <dir>", "results directory (default reports/bench-mesh-<sites>-<ts>)")
    .option("--node-flags <flags>", "extra node flags for the simulator process", "")
    .exitOverride();
  try {
    program.parse(process.argv.slice(2), { from: "user" });
    const parsed = BenchOptions.safeParse(program.opts());
    if (!parsed.success)
      throw new HarnessError(
        `invalid option: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`,
      );
    const { dir, results } = await runMeshBench(parsed.data);
    const m = results.metrics as Record<string, { value: number }>;
    const w = results.world as { sites: number; tunnels: number };
    console.log(
      `mesh bench: ${w.sites} sites, ${w.tunnels} tunnels, tick ${parsed.data.tickMs} ms, 1 subscriber, ${results.measuredSeconds} s\n` +
        `  cpu  ${m.mesh_cpu_cores!.value.toFixed(4)} cores (goal ≤ ${GOALS.cpuCores})\n` +
        `  rss  max ${(m.mesh_rss_bytes!.value / 2 ** 20).toFixed(1)} MiB, mean ${(m.mesh_rss_mean_bytes!.value / 2 ** 20).toFixed(1)} MiB (goal ≤ 150 MiB)\n` +
        `  telemetry ${m.telemetry_tunnel_updates_per_second!.value} tunnel updates/s, cursor gaps ${m.telemetry_cursor_gaps!.value}\n` +
        `  results ${join(dir, "results.json")}`,
    );
  } catch (err) {
    if (!(err instanceof Error && "exitCode" in err && err.exitCode === 0)) {
      console.error(`error: ${describeError(err)}`);
      process.exitCode = 1;
    }
  }
}

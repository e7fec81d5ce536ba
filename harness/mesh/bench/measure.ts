/**
 * Measures the simulator as its own process (harness/mesh/main.ts, preloaded world) — or, with
 * `shards` > 1, the replicas and the shard router (summed, and the largest single process: what
 * one pod must carry) — with one telemetry subscriber: CPU cores from /proc/<pid>/stat deltas over
 * the measured window, RSS sampled each second. The subscriber checks that cursors are consecutive.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createParser } from "eventsource-parser";
import { HarnessError } from "../../errors.ts";
import { ProcessSet } from "../../process/supervisor.ts";
import { READY_PREFIX, readOrCreateToken } from "../process.ts";
import { startShardedMesh } from "../router/launch.ts";
import { cpuSeconds, rssBytes } from "./proc-stat.ts";

const MESH_MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

export interface BenchParams {
  sites: number;
  seconds: number;
  tickMs: number;
  warmup: number;
  nodeFlags: string;
  /** Simulator replicas behind the shard router; 1 is the simulator alone. */
  shards: number;
}

export interface StreamStats {
  events: number;
  snapshotTunnels: number;
  tunnelUpdates: number;
  bytes: number;
  gaps: number;
  lastCursor: number;
}

export interface Measurement {
  startedAt: Date;
  finishedAt: Date;
  /** Seconds from start to the beginning of the measured window. */
  measureStart: number;
  measuredSeconds: number;
  world: { sites: number; tunnels: number };
  cpuCores: number;
  startupRss: number;
  /** [seconds since start, bytes] summed over the processes */
  rss: [number, number][];
  /** The largest RSS any one process reached (the router or a replica when sharded). */
  rssLargestProcess: number;
  stream: StreamStats;
  updatesPerSecond: number;
  loadAverage: { start: number; end: number };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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
      if (e.event === "snapshot") stats.snapshotTunnels = body.tunnels.length;
      else {
        if (stats.lastCursor && body.cursor !== stats.lastCursor + 1) stats.gaps++;
        stats.tunnelUpdates += body.tunnels.length;
      }
      stats.lastCursor = body.cursor;
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

async function waitReady(procs: ProcessSet, p: BenchParams, tokenFile: string, logFile: string) {
  let out = "";
  let onUrl: (u: string) => void = () => {};
  const ready = new Promise<string>((resolve) => {
    onUrl = resolve;
  });
  const args = ["--sites", String(p.sites), "--port", "0", "--token-file", tokenFile, "--preload"];
  args.push("--tick-ms", String(p.tickMs));
  const flags = p.nodeFlags.split(/\s+/).filter(Boolean);
  const sim = procs.start("mesh-simulator", process.execPath, [...flags, MESH_MAIN, ...args], {
    logFile,
    onOutput: (chunk) => {
      out += chunk;
      const m = new RegExp(`${READY_PREFIX}(http://\\S+)`).exec(out);
      if (m) onUrl(m[1]!);
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
  return { sim, url };
}

interface Started {
  url: string;
  pids: number[];
  running(): boolean;
  outputTail(): string;
}

async function start(procs: ProcessSet, p: BenchParams, tokenFile: string, work: string): Promise<Started> {
  if (p.shards <= 1) {
    const { sim, url } = await waitReady(procs, p, tokenFile, join(work, "simulator.log"));
    return { url, pids: [sim.pid], running: () => sim.running, outputTail: () => sim.outputTail() };
  }
  await readOrCreateToken(tokenFile);
  const mesh = await startShardedMesh(procs, {
    shards: p.shards,
    tokenFile,
    simulatorArgs: [`--sites=${p.sites}`, "--preload", `--tick-ms=${p.tickMs}`],
    logDir: work,
    nodeFlags: p.nodeFlags.split(/\s+/).filter(Boolean),
    readyTimeoutMs: 120_000,
  });
  const all = [mesh.router, ...mesh.replicas];
  return {
    url: mesh.url,
    pids: all.map((x) => x.pid),
    running: () => all.every((x) => x.running),
    outputTail: () => all.map((x) => `${x.name}: ${x.outputTail(3)}`).join("\n"),
  };
}

const sum = async (pids: number[], read: (pid: number) => Promise<number>) =>
  (await Promise.all(pids.map(read))).reduce((a, b) => a + b, 0);

export async function measureMeshSimulator(p: BenchParams, log = console.log): Promise<Measurement> {
  const work = await mkdtemp(join(os.tmpdir(), "bench-mesh-"));
  const procs = new ProcessSet();
  const abort = new AbortController();
  try {
    const startedAt = new Date();
    const t00 = performance.now();
    const tokenFile = join(work, "token");
    const sim = await start(procs, p, tokenFile, work);
    const url = sim.url;
    const token = (await readFile(tokenFile, "utf8")).trim();
    const world = (await (await fetch(`${url}/healthz`)).json()) as { sites: number; tunnels: number };
    const startupRss = await sum(sim.pids, rssBytes);
    const stream: StreamStats = {
      events: 0,
      snapshotTunnels: 0,
      tunnelUpdates: 0,
      bytes: 0,
      gaps: 0,
      lastCursor: 0,
    };
    const streaming = subscribe(url, token, abort.signal, stream);
    log(
      `simulator ready at ${url}: ${world.sites} sites, ${world.tunnels} tunnels; warming up ${p.warmup} s`,
    );
    await sleep(p.warmup * 1000);

    const load0 = os.loadavg()[0]!;
    const cpu0 = await sum(sim.pids, cpuSeconds);
    const t0 = performance.now();
    const updates0 = stream.tunnelUpdates;
    const rss: [number, number][] = [];
    let rssLargestProcess = 0;
    for (let i = 1; i <= p.seconds; i++) {
      await sleep(Math.max(0, t0 + i * 1000 - performance.now()));
      if (!sim.running()) throw new HarnessError(`simulator died during the run: ${sim.outputTail()}`);
      const each = await Promise.all(sim.pids.map(rssBytes));
      rssLargestProcess = Math.max(rssLargestProcess, ...each);
      rss.push([Math.round((performance.now() - t00) / 100) / 10, each.reduce((a, b) => a + b, 0)]);
      if (i % 10 === 0) log(`  ${i}/${p.seconds} s, rss ${(rss.at(-1)![1] / 2 ** 20).toFixed(1)} MiB`);
    }
    const cpu1 = await sum(sim.pids, cpuSeconds);
    const wall = (performance.now() - t0) / 1000;
    const load1 = os.loadavg()[0]!;
    abort.abort();
    await streaming.catch(() => {});
    return {
      startedAt,
      finishedAt: new Date(),
      measureStart: (t0 - t00) / 1000,
      measuredSeconds: wall,
      world,
      cpuCores: (cpu1 - cpu0) / wall,
      startupRss,
      rss,
      rssLargestProcess,
      stream,
      updatesPerSecond: (stream.tunnelUpdates - updates0) / wall,
      loadAverage: { start: load0, end: load1 },
    };
  } finally {
    abort.abort();
    await procs.stopAll();
    await rm(work, { recursive: true, force: true });
  }
}

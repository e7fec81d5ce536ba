/** `patronus-bench mesh`: run the simulated Patronus control plane and SD-WAN mesh as a process. */
import { type Command, InvalidArgumentError } from "commander";
import { HarnessError } from "../../errors.ts";
import type { MeshSimulatorOptions } from "../../mesh/options.ts";

function int(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("must be a non-negative integer");
  return Number(value);
}

function num(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError("must be a number");
  return n;
}

function shard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m) throw new InvalidArgumentError("must be INDEX/COUNT, e.g. 0/4");
  return { index: Number(m[1]), count: Number(m[2]) };
}

/** `--topology` is a file (.json/.yaml) or a rule: hub-spoke, regional, full, partial:K. */
function topologyOption(value: string): Pick<MeshSimulatorOptions, "topology" | "topologyFile"> {
  if (/\.(json|ya?ml)$/i.test(value)) return { topologyFile: value };
  if (value === "hub-spoke" || value === "regional" || value === "full") return { topology: { kind: value } };
  const m = /^partial:(\d+)$/.exec(value);
  if (m) return { topology: { kind: "partial", k: Number(m[1]) } };
  throw new InvalidArgumentError(
    `--topology ${value}: must be a .json/.yaml file or one of hub-spoke, regional, full, partial:K`,
  );
}

export function register(program: Command): void {
  program
    .command("mesh")
    .description("Run the mesh simulator: Patronus API, fault API, event log, /metrics, /healthz")
    .requiredOption("--token-file <file>", "bearer token file (created with a random token when absent)")
    .option(
      "--dialect <name>",
      "Patronus API dialect: reference | patronus-rs (what the upstream Rust operator calls; no token)",
      dialect,
      "reference",
    )
    .option("--sites <n>", "sites in the generated world", int, 1000)
    .option("--regions <n>", "regions", int, 10)
    .option("--hubs-per-region <n>", "hubs per region", int, 2)
    .option(
      "--topology <rule|file>",
      "hub-spoke | regional | full | partial:K | fixtures/topologies/*.yaml",
      "hub-spoke",
    )
    .option("--seed <n>", "seed of the world and its link model", int)
    .option("--tick-ms <ms>", "telemetry tick", int, 1000)
    .option("--port <port>", "port (0 picks a free one)", int, 0)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--preload", "register the world's sites and program its tunnels at start", false)
    .option("--rate <rps>", "per-caller request rate of the Patronus API (429 beyond it)", num, 1000)
    .option("--burst <n>", "per-caller burst", int, 2000)
    .option("--request-log <n>", "entries the per-caller request log keeps", int, 100_000)
    .option("--log-level <level>", "info | debug (debug: one line per client hanging up)", logLevel, "info")
    .option("--body-limit <bytes>", "request body limit", int, 1024 * 1024)
    .option("--link-events <p>", "congestion event probability per link per 60 ticks (0 = calm)", num, 0.01)
    .option("--shard <i/n>", "simulate only shard i of n (site ranges)", shard)
    .option("--shards <n>", "start n replicas (--shard i/n) and the shard router in front of them", int)
    .option("--replicas <urls>", "run as the shard router in front of these replicas (comma-separated)", urls)
    .action(async (o) => {
      if ([o.shard, o.shards, o.replicas].filter((x) => x !== undefined).length > 1) {
        throw new HarnessError("--shard, --shards and --replicas exclude each other", {
          fix: "--shards N starts the replicas and the router; --shard/--replicas run one of them",
        });
      }
      if (o.shards !== undefined && o.shards < 1) throw new HarnessError("--shards must be at least 1");
      if (o.shards > 1) {
        const { runShardedMeshCommand } = await import("../../mesh/router/command.ts");
        await runShardedMeshCommand(o.shards, o.tokenFile, simulatorFlags(o), o.port, o.host);
        return;
      }
      const options = {
        dialect: o.dialect,
        requestLogCapacity: o.requestLog,
        logLevel: o.logLevel,
        sites: o.sites,
        regions: o.regions,
        hubsPerRegion: o.hubsPerRegion,
        ...topologyOption(o.topology),
        ...(o.seed === undefined ? {} : { seed: o.seed }),
        tickMs: o.tickMs,
        port: o.port,
        host: o.host,
        preload: o.preload,
        rateLimit: { requestsPerSecond: o.rate, burst: o.burst },
        bodyLimitBytes: o.bodyLimit,
        linkEventProbability: o.linkEvents,
        ...(o.shard ? { shard: o.shard } : {}),
      };
      if (o.replicas) {
        const { runShardRouterProcess } = await import("../../mesh/router/process.ts");
        await runShardRouterProcess(options, o.tokenFile, o.replicas);
        return;
      }
      // Loaded on use: the CLI starts fast for every other command.
      const { runMeshProcess } = await import("../../mesh/process.ts");
      await runMeshProcess(options, o.tokenFile);
    });
}

function dialect(value: string): "reference" | "patronus-rs" {
  if (value !== "reference" && value !== "patronus-rs")
    throw new InvalidArgumentError("must be reference or patronus-rs");
  return value;
}

function logLevel(value: string): "info" | "debug" {
  if (value !== "info" && value !== "debug") throw new InvalidArgumentError("must be info or debug");
  return value;
}

function urls(value: string): string[] {
  const list = value.split(",").filter(Boolean);
  for (const u of list) {
    if (!/^https?:\/\/[^\s,]+$/.test(u)) throw new InvalidArgumentError(`not an http(s) URL: ${u}`);
  }
  if (list.length === 0) throw new InvalidArgumentError("at least one replica URL");
  return list;
}

/** The world and server flags a replica or the router needs, from the parsed options. */
function simulatorFlags(o: Record<string, unknown>): string[] {
  return [
    `--dialect=${o.dialect}`,
    `--request-log=${o.requestLog}`,
    `--log-level=${o.logLevel}`,
    `--sites=${o.sites}`,
    `--regions=${o.regions}`,
    `--hubs-per-region=${o.hubsPerRegion}`,
    `--topology=${o.topology}`,
    ...(o.seed === undefined ? [] : [`--seed=${o.seed}`]),
    `--tick-ms=${o.tickMs}`,
    ...(o.preload ? ["--preload"] : []),
    `--rate=${o.rate}`,
    `--burst=${o.burst}`,
    `--body-limit=${o.bodyLimit}`,
    `--link-events=${o.linkEvents}`,
  ];
}

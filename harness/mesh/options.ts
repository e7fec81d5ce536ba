/** Options of the mesh simulator (library and process), validated at the boundary. */
import { z } from "zod";
import { Name } from "../../contract/patronus-api/v1.ts";
import { Dialect } from "./api/dialect.ts";
import { TopologySpec } from "./model/world.ts";

export const MIB = 1024 * 1024;

export const ShardOption = z
  .strictObject({ index: z.number().int().min(0), count: z.number().int().min(1).max(1024) })
  .refine((s) => s.index < s.count, { message: "shard index must be below count", path: ["index"] });
export type ShardOption = z.infer<typeof ShardOption>;

export const MeshSimulatorOptions = z
  .strictObject({
    host: z.string().min(1).default("127.0.0.1"),
    /**
     * The Patronus API the simulator speaks: "reference" (api/contract.ts, bearer token) or
     * "patronus-rs" (what the upstream Rust operator calls: api/patronus-rs.ts, no token).
     */
    dialect: Dialect.default("reference"),
    port: z.number().int().min(0).max(65_535).default(0),
    /** Bearer token; a random one is generated when absent. Never logged. */
    token: z.string().min(16, "token must be at least 16 characters").optional(),
    /** More accepted tokens, each with its own rate bucket (e.g. one per client). */
    extraTokens: z.array(z.string().min(16)).default([]),
    sites: z.number().int().min(1).max(200_000).default(1000),
    regions: z.number().int().min(1).max(1000).default(10),
    hubsPerRegion: z.number().int().min(0).max(100).default(2),
    topology: TopologySpec.default({ kind: "hub-spoke" }),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    /** A fixtures/topologies file; replaces sites/regions/hubsPerRegion/topology. */
    topologyFile: z.string().optional(),
    /** Register the world's sites and program its tunnels at start (else the operator does). */
    preload: z.boolean().default(false),
    /** The mesh name preloaded tunnels are programmed under. */
    meshName: Name.default("world"),
    tickMs: z.number().int().min(10).max(60_000).default(1000),
    /** Chance per link per 60-tick block of a congestion event; 0 for a calm world. */
    linkEventProbability: z.number().min(0).max(1).default(0.01),
    applyDelayMs: z
      .strictObject({ minMs: z.number().min(0).max(60_000), maxMs: z.number().min(0).max(60_000) })
      .refine((d) => d.minMs <= d.maxMs, { message: "minMs must not exceed maxMs", path: ["minMs"] })
      .default({ minMs: 10, maxMs: 60 }),
    rateLimit: z
      .strictObject({
        requestsPerSecond: z.number().positive().max(1_000_000),
        burst: z.number().int().min(1).max(1_000_000),
      })
      .default({ requestsPerSecond: 1000, burst: 2000 }),
    bodyLimitBytes: z
      .number()
      .int()
      .min(1024)
      .max(256 * MIB)
      .default(MIB),
    keepaliveMs: z.number().int().min(50).max(300_000).default(15_000),
    telemetryRetain: z
      .strictObject({ frames: z.number().int().min(1), bytes: z.number().int().min(1024) })
      .default({ frames: 300, bytes: 16 * MIB }),
    eventLogCapacity: z.number().int().min(100).default(20_000),
    /** Entries the per-caller request log keeps (older ones are dropped and counted). */
    requestLogCapacity: z.number().int().min(100).max(10_000_000).default(100_000),
    /** "debug" adds one line per routine event (a client hanging up) to the error output. */
    logLevel: z.enum(["info", "debug"]).default("info"),
    shard: ShardOption.optional(),
  })
  .refine((o) => o.regions <= o.sites, { message: "regions must not exceed sites", path: ["regions"] })
  .refine((o) => o.regions * o.hubsPerRegion <= o.sites, {
    message: "regions × hubsPerRegion must not exceed sites",
    path: ["hubsPerRegion"],
  });
export type MeshSimulatorOptions = z.input<typeof MeshSimulatorOptions>;
export type ResolvedOptions = z.output<typeof MeshSimulatorOptions>;

/**
 * npm run bench:mesh [-- --sites 1000 --seconds 60 --tick-ms 1000 --warmup 5 --out DIR --node-flags F --shards N]
 *
 * Runs the simulator as its own process with one telemetry subscriber and measures its CPU (cores)
 * and RSS; writes reports/bench-mesh-<sites>-<ts>/results.json (results schemaVersion 1) and prints
 * a summary. Exit 99 when a goal threshold fails (the 1000-site run: ≤ 0.10 cores, ≤ 150 MiB).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import { z } from "zod";
import { describeError, EXIT, HarnessError } from "../../errors.ts";
import { writeResults } from "../../results/index.ts";
import { measureMeshSimulator } from "./measure.ts";
import { benchResults, GOALS } from "./results.ts";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));

const BenchOptions = z.strictObject({
  sites: z.number().int().min(1).max(200_000),
  seconds: z.number().int().min(1).max(3600),
  tickMs: z.number().int().min(10).max(60_000),
  warmup: z.number().int().min(0).max(600),
  out: z.string().optional(),
  /** Extra flags for the simulator's node, e.g. "--max-semi-space-size=2" (recorded in the results). */
  nodeFlags: z.string().default(""),
  shards: z.number().int().min(1).max(64).default(1),
});

function int(v: string): number {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError("must be a non-negative integer");
  return Number(v);
}

async function main(argv: string[]): Promise<number> {
  const program = new Command("bench:mesh")
    .description("Measure the mesh simulator's CPU and RSS with one telemetry subscriber")
    .option("--sites <n>", "sites (preloaded world)", int, 1000)
    .option("--seconds <n>", "measured seconds", int, 60)
    .option("--tick-ms <ms>", "telemetry tick", int, 1000)
    .option("--warmup <s>", "seconds before measuring", int, 5)
    .option("--out <dir>", "results directory (default reports/bench-mesh-<sites>-<ts>)")
    .option("--node-flags <flags>", "extra node flags for the simulator process", "")
    .option("--shards <n>", "replicas behind the shard router (1: the simulator alone)", int, 1)
    .exitOverride();
  program.parse(argv, { from: "user" });
  const parsed = BenchOptions.safeParse(program.opts());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HarnessError(`invalid option ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const o = parsed.data;
  const m = await measureMeshSimulator(o);
  const results = await benchResults(o, m);
  const dir = o.out ?? join(REPO, "reports", results.run.id);
  const file = await writeResults(dir, results);
  const metric = (name: string) => (results.metrics[name] as { value: number }).value;
  const mib = (b: number) => (b / 2 ** 20).toFixed(1);
  console.log(
    `mesh bench: ${m.world.sites} sites${o.shards > 1 ? ` over ${o.shards} shards + router` : ""}, ${m.world.tunnels} tunnels, tick ${o.tickMs} ms, 1 subscriber, ${m.measuredSeconds.toFixed(1)} s\n` +
      `  cpu  ${metric("mesh_cpu_cores").toFixed(4)} cores (goal ≤ ${GOALS.cpuCores} at ${GOALS.sites} sites)\n` +
      `  rss  max ${mib(metric("mesh_rss_bytes"))} MiB, mean ${mib(metric("mesh_rss_mean_bytes"))} MiB, largest process ${mib(metric("mesh_rss_largest_process_bytes"))} MiB (goal ≤ 150 MiB at ${GOALS.sites} sites)\n` +
      `  telemetry ${metric("telemetry_tunnel_updates_per_second")} tunnel updates/s, cursor gaps ${metric("telemetry_cursor_gaps")}\n` +
      `  verdict ${results.verdict}${results.thresholds.length === 0 ? " (no goal at this size)" : ""}; results ${file}`,
  );
  return results.verdict === "pass" ? EXIT.ok : EXIT.thresholdFailed;
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof Error && "exitCode" in err && err.exitCode === 0)) {
      console.error(`error: ${describeError(err)}`);
      process.exitCode = EXIT.harnessError;
    }
  }
}

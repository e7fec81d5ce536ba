/**
 * The shard router as a long-running process (`patronus-bench mesh --replicas URL,URL…`): token
 * from the same file as the replicas, one "ready" line with the URL, a clean stop on
 * SIGINT/SIGTERM.
 */
import { resolveOptions } from "../index.ts";
import type { MeshSimulatorOptions } from "../options.ts";
import { READY_PREFIX, readOrCreateToken } from "../process.ts";
import { startShardRouter } from "./index.ts";

export async function runShardRouterProcess(
  options: Omit<MeshSimulatorOptions, "shard">,
  tokenFile: string,
  replicas: string[],
): Promise<void> {
  await resolveOptions(options);
  const token = await readOrCreateToken(tokenFile);
  const router = await startShardRouter({ ...options, token, replicas });
  console.log(
    `${READY_PREFIX}${router.url} (shard router over ${replicas.length} replicas, token in ${tokenFile})`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      console.log(`mesh shard router stopping (${signal})`);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await router.stop();
}

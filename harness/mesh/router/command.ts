/**
 * `patronus-bench mesh --shards N`: N replicas and the shard router as child processes of this
 * one (logs beside the token file), one "ready" line with the router's URL; every child stops
 * with this process (ProcessSet).
 */
import { dirname } from "node:path";
import { ProcessSet } from "../../process/supervisor.ts";
import { READY_PREFIX, readOrCreateToken } from "../process.ts";
import { startShardedMesh } from "./launch.ts";

export async function runShardedMeshCommand(
  shards: number,
  tokenFile: string,
  simulatorArgs: string[],
  port: number,
  host: string,
): Promise<void> {
  // Created once here, so the replicas and the router never race to create it.
  await readOrCreateToken(tokenFile);
  const processes = new ProcessSet();
  try {
    const mesh = await startShardedMesh(processes, {
      shards,
      tokenFile,
      simulatorArgs,
      logDir: dirname(tokenFile),
      port,
      host,
    });
    console.log(
      `${READY_PREFIX}${mesh.url} (shard router over ${shards} replicas: ${mesh.replicaUrls.join(" ")}; logs in ${dirname(tokenFile)})`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
      // A replica or the router dying ends the whole mesh: a partial mesh is not a mesh.
      for (const p of [mesh.router, ...mesh.replicas]) {
        void p.exited.then((e) => {
          console.error(`${p.name} exited (${e.code ?? e.signal}): stopping the mesh`);
          process.exitCode = 1;
          stop();
        });
      }
    });
  } finally {
    await processes.stopAll();
  }
}

/**
 * Starts a sharded mesh as local processes under the caller's ProcessSet: N simulator replicas
 * (`--shard i/N`, free ports) and the shard router in front of them. Used by
 * `patronus-bench mesh --shards N` and by runs with `mesh.shards > 1`.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HarnessError } from "../../errors.ts";
import type { ManagedProcess, ProcessSet } from "../../process/supervisor.ts";
import { READY_PREFIX } from "../process.ts";

const MESH_MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
/** The router enforces the client's rate; behind it the replicas must not throttle its fan-out. */
const UNTHROTTLED = ["--rate=1000000", "--burst=1000000"];

export interface ShardedMeshLaunch {
  shards: number;
  tokenFile: string;
  /** Simulator flags (world, tick, rate, body limit…) other than token file, port and host. */
  simulatorArgs: string[];
  /** Where replica-<i>.log and router.log go. */
  logDir: string;
  port?: number;
  host?: string;
  /** Extra node flags for every process (e.g. --max-semi-space-size=2). */
  nodeFlags?: string[];
  readyTimeoutMs?: number;
}

export interface ShardedMesh {
  url: string;
  router: ManagedProcess;
  replicas: ManagedProcess[];
  replicaUrls: string[];
  /** Live pids: the router and every replica (their CPU and RSS add up to the mesh's). */
  pids(): number[];
}

export async function startShardedMesh(processes: ProcessSet, o: ShardedMeshLaunch): Promise<ShardedMesh> {
  const timeoutMs = o.readyTimeoutMs ?? 60_000;
  const node = [...(o.nodeFlags ?? []), MESH_MAIN, `--token-file=${o.tokenFile}`];
  const host = o.host ?? "127.0.0.1";
  const started = Array.from({ length: o.shards }, (_, i) =>
    startReady(
      processes,
      `mesh-shard-${i}`,
      [
        ...node,
        ...o.simulatorArgs,
        ...UNTHROTTLED,
        `--shard=${i}/${o.shards}`,
        "--host=127.0.0.1",
        "--port=0",
      ],
      join(o.logDir, `mesh-shard-${i}.log`),
      timeoutMs,
    ),
  );
  const replicas = await Promise.all(started);
  const replicaUrls = replicas.map((r) => r.url);
  const router = await startReady(
    processes,
    "mesh-router",
    [
      ...node,
      ...o.simulatorArgs,
      `--replicas=${replicaUrls.join(",")}`,
      `--host=${host}`,
      `--port=${o.port ?? 0}`,
    ],
    join(o.logDir, "mesh-router.log"),
    timeoutMs,
  );
  const all = [router.proc, ...replicas.map((r) => r.proc)];
  return {
    url: router.url,
    router: router.proc,
    replicas: replicas.map((r) => r.proc),
    replicaUrls,
    pids: () => all.filter((p) => p.running).map((p) => p.pid),
  };
}

async function startReady(
  processes: ProcessSet,
  name: string,
  args: string[],
  logFile: string,
  timeoutMs: number,
): Promise<{ proc: ManagedProcess; url: string }> {
  let resolveReady: (u: string) => void = () => {};
  const ready = new Promise<string>((r) => {
    resolveReady = r;
  });
  let seen = "";
  const proc = processes.start(name, process.execPath, args, {
    logFile,
    onOutput: (chunk) => {
      seen = (seen + chunk).slice(-2000);
      const i = seen.indexOf(READY_PREFIX);
      if (i >= 0) resolveReady(seen.slice(i + READY_PREFIX.length).split(/\s/)[0] ?? "");
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await Promise.race([
      ready,
      proc.exited.then((e) => {
        throw new HarnessError(
          `${name} exited during start-up (${e.code ?? e.signal}): ${proc.outputTail()}`,
        );
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new HarnessError(`${name} did not report ready within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
    return { proc, url };
  } finally {
    clearTimeout(timer);
  }
}

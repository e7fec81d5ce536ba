/**
 * The mesh simulator in a container — the image's second command — optionally limited, for runs
 * whose figures must not include the simulator's CPU on the operator's cores. Host networking on
 * loopback, like the process runtime; the token file is copied in (readable by the image's user).
 */
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import type { Readable } from "node:stream";
import { execa } from "execa";
import { HarnessError } from "../errors.ts";
import { trackContainer } from "./cleanup.ts";
import { type ContainerLimits, dockerQuota, type ObservedLimits, observeLimitsFromHost } from "./limits.ts";
import { OWNER_LABEL } from "./operator-container.ts";

export interface MeshContainerOptions {
  image: string;
  tokenFile: string;
  /** Flags of `patronus-bench mesh` other than --token-file/--host/--port, e.g. ["--sites", "50"]. */
  args: readonly string[];
  limits?: ContainerLimits;
  startTimeoutMs?: number;
  /** The simulator's output goes here (appended). */
  logFile?: string;
}

export interface MeshContainer {
  id: string;
  url: string;
  /** Host PID of the simulator's node process (mesh_cpu_cores / mesh_rss_bytes read /proc/<pid>). */
  readonly pid: number | undefined;
  readonly running: boolean;
  limits: ContainerLimits | undefined;
  observedLimits(): Promise<ObservedLimits>;
  stop(): Promise<void>;
}

export async function startMeshContainer(o: MeshContainerOptions): Promise<MeshContainer> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
  const { GenericContainer, Wait } = await import("testcontainers");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new HarnessError("no free loopback port");
  const name = `patronus-mesh-${process.pid}-${address.port}`;
  const log = o.logFile ? createWriteStream(o.logFile, { flags: "a" }) : undefined;
  let builder = new GenericContainer(o.image)
    .withName(name)
    .withNetworkMode("host")
    .withLabels({ [OWNER_LABEL]: String(process.pid), "patronus-bench.identity": "mesh" })
    .withCopyFilesToContainer([{ source: o.tokenFile, target: "/etc/patronus/token", mode: 0o444 }])
    .withCommand([
      "harness/mesh/main.ts",
      "--token-file",
      "/etc/patronus/token",
      "--host",
      "127.0.0.1",
      "--port",
      String(address.port),
      ...o.args,
    ])
    .withLogConsumer((stream: Readable) => {
      if (log) stream.pipe(log);
    })
    .withWaitStrategy(Wait.forLogMessage(/mesh simulator ready at/))
    .withStartupTimeout(o.startTimeoutMs ?? 60_000);
  if (o.limits) {
    const q = dockerQuota(o.limits);
    builder = builder.withResourcesQuota({ cpu: q.cpu, memory: q.memoryGiB });
  }
  try {
    const started = await builder.start();
    const id = started.getId();
    const untrack = trackContainer(id);
    const inspect = await execa("docker", ["inspect", "-f", "{{.State.Pid}}", id], { reject: false });
    const pid = Number(inspect.stdout.trim()) || undefined;
    let running = true;
    void execa("docker", ["wait", id], { reject: false }).then(() => {
      running = false;
    });
    let stopping: Promise<void> | undefined;
    return {
      id,
      url: `http://127.0.0.1:${address.port}`,
      get pid() {
        return running ? pid : undefined;
      },
      get running() {
        return running;
      },
      limits: o.limits,
      observedLimits: () => observeLimitsFromHost(id, pid),
      stop: () => {
        stopping ??= (async () => {
          await started.stop({ timeout: 10_000, remove: true }).catch(async () => {
            await execa("docker", ["rm", "-f", id], { reject: false });
          });
          untrack();
          running = false;
          log?.end();
        })();
        return stopping;
      },
    };
  } catch (err) {
    log?.end();
    await execa("docker", ["rm", "-f", name], { reject: false });
    throw new HarnessError(`mesh simulator container (${o.image}) did not start: ${(err as Error).message}`, {
      fix: "build the image with ci/container/build-image.sh",
    });
  }
}

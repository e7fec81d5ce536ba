/**
 * The mesh simulator in a container — the image's second command — optionally limited, for runs
 * whose figures must not include the simulator's CPU on the operator's cores. Host networking on
 * loopback, like the process runtime; the token file is copied in (readable by the image's user).
 */
import { createServer } from "node:net";
import { execa } from "execa";
import { HarnessError } from "../errors.ts";
import { type ContainerLimits, dockerQuota } from "./limits.ts";
import { OWNER_LABEL } from "./operator-container.ts";

export interface MeshContainerOptions {
  image: string;
  tokenFile: string;
  /** Flags of `patronus-bench mesh` other than --token-file/--host/--port, e.g. ["--sites", "50"]. */
  args: readonly string[];
  limits?: ContainerLimits;
  startTimeoutMs?: number;
}

export interface MeshContainer {
  id: string;
  url: string;
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
  let builder = new GenericContainer(o.image)
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
    .withWaitStrategy(Wait.forLogMessage(/mesh simulator ready at/))
    .withStartupTimeout(o.startTimeoutMs ?? 60_000);
  if (o.limits) {
    const q = dockerQuota(o.limits);
    builder = builder.withResourcesQuota({ cpu: q.cpu, memory: q.memoryGiB });
  }
  try {
    const started = await builder.start();
    return {
      id: started.getId(),
      url: `http://127.0.0.1:${address.port}`,
      stop: async () => {
        await started.stop({ timeout: 10_000, remove: true }).catch(async () => {
          await execa("docker", ["rm", "-f", started.getId()], { reject: false });
        });
      },
    };
  } catch (err) {
    throw new HarnessError(`mesh simulator container (${o.image}) did not start: ${(err as Error).message}`, {
      fix: "build the image with ci/container/build-image.sh",
    });
  }
}

/**
 * The `kind` binary, driven as a user would: find it (PATH, then GOPATH/bin where
 * ci/kind/install-kind.sh builds it), check its version, and turn its failures into errors that
 * say what to do — above all the one every offline machine hits: the node image cannot be pulled.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { HarnessError } from "../../errors.ts";

export const KIND_VERSION = "v0.33.0";
/** kind v0.33.0's default node image (pkg/apis/config/defaults/image.go). */
export const DEFAULT_NODE_IMAGE =
  "kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5";
/** The node image ci/kind/node-image/build.sh builds from source (its default tag). */
export const LOCAL_NODE_IMAGE = "localhost/patronus-bench/kind-node:v1.37.2";
export const NODE_IMAGE_BUILD = "ci/kind/node-image/build.sh";

const INSTALL_FIX = `build it: ci/kind/install-kind.sh (go install sigs.k8s.io/kind@${KIND_VERSION})`;

export async function findKind(): Promise<string> {
  const candidates = [
    process.env.KIND_BINARY,
    "kind",
    join(process.env.GOPATH ?? join(homedir(), "go"), "bin", "kind"),
  ];
  for (const c of candidates) {
    if (!c || (c.includes("/") && !existsSync(c))) continue;
    try {
      const { stdout } = await execa(c, ["version"], { timeout: 10_000 });
      if (stdout.startsWith("kind ")) return c;
    } catch {
      // not this one
    }
  }
  throw new HarnessError("the kind binary was not found (PATH, $KIND_BINARY, $GOPATH/bin)", {
    fix: INSTALL_FIX,
  });
}

export interface KindCli {
  binary: string;
  version: string;
  run(args: readonly string[], timeoutMs?: number): Promise<string>;
  clusters(): Promise<string[]>;
  kubeconfig(name: string): Promise<string>;
}

export async function kindCli(): Promise<KindCli> {
  const binary = await findKind();
  const { stdout } = await execa(binary, ["version"]);
  const version = stdout.split(" ")[1] ?? "unknown";
  const run = async (args: readonly string[], timeoutMs = 600_000) => {
    const r = await execa(binary, args, { timeout: timeoutMs, reject: false, all: true });
    if (r.exitCode !== 0 || r.timedOut) {
      throw new HarnessError(
        `kind ${args.join(" ")} failed${r.timedOut ? " (timed out)" : ""}:\n${(r.all ?? "").slice(-2000)}`,
        {
          fix: explain(r.all ?? ""),
        },
      );
    }
    return r.stdout;
  };
  return {
    binary,
    version,
    run,
    clusters: async () =>
      (await run(["get", "clusters"])).split("\n").filter((l) => l && !l.startsWith("No kind clusters")),
    kubeconfig: (name) => run(["get", "kubeconfig", "--name", name]),
  };
}

/** What to do about the failures people actually meet. */
export function explain(output: string): string | undefined {
  if (/failed to pull image|pull access denied|no such host|dial tcp/i.test(output)) {
    return `the kind node image cannot be pulled here: build one from source (${NODE_IMAGE_BUILD}, then KIND_NODE_IMAGE=${LOCAL_NODE_IMAGE}), load one from a machine with registry access (docker save kindest/node:… | docker load), or set KIND_NODE_IMAGE to a local image`;
  }
  if (/Cannot connect to the Docker daemon|docker.sock/i.test(output)) {
    return "kind needs a running Docker engine: start dockerd (ci/container/ensure-dockerd.sh)";
  }
  if (/port is already allocated|address already in use/i.test(output))
    return "a host port the kind config fixes is taken (another cluster, a leftover one, or another process: docker ps, ss -ltnp): give it hostPort: 0 / apiServerPort: 0 so kind picks a free one, or free it";
  if (/already exist/i.test(output))
    return "reuse it (same name) or delete it: kind delete cluster --name NAME";
  return undefined;
}

/** The image a running kind cluster's control-plane node was created from (a reused cluster's). */
export async function nodeImageOf(cluster: string): Promise<string | undefined> {
  const r = await execa(
    "docker",
    [
      "ps",
      "--filter",
      `label=io.x-k8s.kind.cluster=${cluster}`,
      "--filter",
      "label=io.x-k8s.kind.role=control-plane",
      "--format",
      "{{.Image}}",
    ],
    { reject: false },
  );
  return r.exitCode === 0 ? r.stdout.trim().split("\n")[0] || undefined : undefined;
}

/**
 * The loopback address a node container's port is published on (`docker port`): kind picks the
 * host port when the config says 0, and a reused cluster may have been made from another config.
 */
export async function publishedAddress(container: string, port: number): Promise<string | undefined> {
  const r = await execa("docker", ["port", container, `${port}/tcp`], { reject: false });
  return r.exitCode === 0 ? firstIPv4Binding(r.stdout) : undefined;
}

/** `docker port` prints one binding a line (IPv4 and IPv6); a wildcard is reached on loopback. */
export function firstIPv4Binding(dockerPortOutput: string): string | undefined {
  for (const line of dockerPortOutput.split("\n")) {
    const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(line.trim());
    if (m) return `${m[1] === "0.0.0.0" ? "127.0.0.1" : m[1]}:${m[2]}`;
  }
  return undefined;
}

async function haveImage(image: string): Promise<boolean> {
  return (await execa("docker", ["image", "inspect", image], { reject: false })).exitCode === 0;
}

/**
 * kind would try to pull a missing node image in the middle of `create cluster`; check first so
 * the error names the image and the way out, before any container is created. Returns the image
 * to use: the one asked for, or — when that is kind's default and cannot be pulled — the node
 * image built from source on this machine, if there is one (said in the log).
 */
export async function ensureNodeImage(
  image: string,
  log: (line: string) => void = () => {},
): Promise<string> {
  if (await haveImage(image)) return image;
  const pull = await execa("docker", ["pull", image], { reject: false, all: true, timeout: 600_000 });
  if (pull.exitCode === 0) return image;
  if (image === DEFAULT_NODE_IMAGE && (await haveImage(LOCAL_NODE_IMAGE))) {
    log(
      `kind: ${image} cannot be pulled; using ${LOCAL_NODE_IMAGE}, built from source by ${NODE_IMAGE_BUILD}`,
    );
    return LOCAL_NODE_IMAGE;
  }
  throw new HarnessError(
    `the kind node image ${image} is not present and cannot be pulled: ${(pull.all ?? "").trim().split("\n").at(-1)}`,
    {
      fix: explain(pull.all ?? "") ?? "docker pull it, or set KIND_NODE_IMAGE",
    },
  );
}

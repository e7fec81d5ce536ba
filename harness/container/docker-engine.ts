/**
 * A Docker engine for the container runtime: the one already running, or `dockerd` (Debian's
 * docker.io) started here under a ProcessSet and stopped with it. No engine and no way to start
 * one is an error that says how to get one — never a silent skip.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { HarnessError } from "../errors.ts";
import { REPO_ROOT } from "../paths.ts";
import type { ProcessSet } from "../process/supervisor.ts";

export const DOCKER_SOCKET = "/var/run/docker.sock";
const INSTALL_FIX = "apt-get update && apt-get install -y docker.io (or start your Docker engine)";

/** The OCI runtime wrapper ci/container/runc-within-bounding-set (see the script). */
export const BOUNDED_RUNTIME = "runc-within-bounding-set";

/**
 * dockerd's arguments. Where this process's capability bounding set lacks some of the kernel's
 * capabilities (dockerd inside a container, as on this project's machine), privileged containers
 * — kind's nodes — only start through a runtime that asks runc for what the set has; so does
 * ci/container/ensure-dockerd.sh.
 */
export function dockerdArgs(
  status = readFileSync("/proc/self/status", "utf8"),
  lastCap = Number(readFileSync("/proc/sys/kernel/cap_last_cap", "utf8")),
): string[] {
  const args = ["--host", `unix://${DOCKER_SOCKET}`];
  if (boundingSetIsPartial(status, lastCap)) {
    const wrapper = join(REPO_ROOT, "ci", "container", BOUNDED_RUNTIME);
    args.push("--add-runtime", `${BOUNDED_RUNTIME}=${wrapper}`, "--default-runtime", BOUNDED_RUNTIME);
  }
  return args;
}

/** True when this process's capability bounding set lacks a capability the kernel has. */
export function boundingSetIsPartial(
  status = readFileSync("/proc/self/status", "utf8"),
  lastCap = Number(readFileSync("/proc/sys/kernel/cap_last_cap", "utf8")),
): boolean {
  const bounding = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return bounding !== undefined && BigInt(`0x${bounding}`) !== (1n << BigInt(lastCap + 1)) - 1n;
}

/**
 * Privileged containers (kind's nodes) fail deep inside `kind create cluster` ("unable to apply
 * caps") on an engine started without the bounded runtime where it is needed: say so first.
 */
export async function requirePrivilegedContainers(): Promise<void> {
  if (!boundingSetIsPartial()) return;
  const r = await execa("docker", ["info", "--format", "{{.DefaultRuntime}}"], { reject: false });
  if (r.exitCode === 0 && r.stdout.trim() === BOUNDED_RUNTIME) return;
  throw new HarnessError(
    `this machine lacks capabilities (a container itself), and the running Docker engine's default runtime is "${r.stdout.trim() || "unknown"}": its privileged containers — kind's nodes — cannot start`,
    {
      fix: `stop that dockerd and start it with ci/container/ensure-dockerd.sh (it adds ${BOUNDED_RUNTIME})`,
    },
  );
}

export async function dockerServerVersion(): Promise<string | undefined> {
  const r = await execa("docker", ["version", "--format", "{{.Server.Version}}"], {
    reject: false,
    timeout: 10_000,
  });
  return r.exitCode === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

function findDockerd(): string | undefined {
  for (const dir of ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"]) {
    const p = join(dir, "dockerd");
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * The engine a run uses: one that already answers (DOCKER_HOST or the default socket). A run does
 * not start a root daemon as a side effect; the tests and ci/container/ensure-dockerd.sh do.
 */
export async function requireDockerEngine(): Promise<string> {
  const cli = await execa("docker", ["--version"], { reject: false });
  if (cli.exitCode !== 0) throw new HarnessError("the docker CLI is not installed", { fix: INSTALL_FIX });
  const version = await dockerServerVersion();
  if (version) return version;
  const where = process.env.DOCKER_HOST ?? `unix://${DOCKER_SOCKET}`;
  throw new HarnessError(`no Docker engine answers at ${where} (needed by runtime "container")`, {
    fix: "start one: ci/container/ensure-dockerd.sh (or systemctl start docker), or run with --runtime process",
  });
}

export interface DockerEngine {
  version: string;
  /** True when this call started dockerd (it stops with the ProcessSet). */
  started: boolean;
}

export async function ensureDockerEngine(o: {
  processes: ProcessSet;
  logDir: string;
  timeoutMs?: number;
}): Promise<DockerEngine> {
  const cli = await execa("docker", ["--version"], { reject: false });
  if (cli.exitCode !== 0) throw new HarnessError("the docker CLI is not installed", { fix: INSTALL_FIX });
  const running = await dockerServerVersion();
  if (running) return { version: running, started: false };
  const dockerd = findDockerd();
  if (!dockerd)
    throw new HarnessError("no Docker engine is running and dockerd is not installed", { fix: INSTALL_FIX });
  if (process.getuid?.() !== 0) {
    throw new HarnessError("no Docker engine is running and starting dockerd needs root", {
      fix: "start Docker (sudo systemctl start docker, or sudo dockerd &)",
    });
  }
  const proc = o.processes.start("dockerd", dockerd, dockerdArgs(), {
    logFile: join(o.logDir, "dockerd.log"),
  });
  const deadline = performance.now() + (o.timeoutMs ?? 60_000);
  for (;;) {
    const version = await dockerServerVersion();
    if (version) return { version, started: true };
    if (!proc.running || performance.now() > deadline) {
      await proc.stop(5000);
      throw new HarnessError(`dockerd did not become ready:\n${proc.outputTail(10)}`, {
        fix: `see ${join(o.logDir, "dockerd.log")} (dockerd needs cgroups, overlayfs or vfs, and iptables)`,
      });
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

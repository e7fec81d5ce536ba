/**
 * The `container` runtime of the operator: the image of the Dockerfile run by testcontainers with a
 * pod's CPU and memory limits (500m / 256Mi by default), so CPU, RSS and latency figures are those
 * of a production pod rather than of an unconstrained process. Host networking: the container
 * reaches the loopback apiserver and simulator exactly as the process runtime does. The returned
 * handle has the shape of harness/run/system/operator-launch.ts's OperatorProcessHandle.
 */
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { constants } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import type { StartedTestContainer } from "testcontainers";
import { HarnessError } from "../errors.ts";
import { OPERATOR_ENV, OPERATOR_NODE_OPTIONS, OPERATOR_SCRIPT } from "../operators/builtin/reference/cli.ts";
import { answersOnce } from "../process/readiness.ts";
import { isAlive } from "../process/supervisor.ts";
import { trackContainer } from "./cleanup.ts";
import {
  type ContainerLimits,
  dockerQuota,
  type ObservedLimits,
  observeLimitsFromHost,
  POD_LIKE_LIMITS,
} from "./limits.ts";

export const OWNER_LABEL = "patronus-bench.owner-pid";

export interface OperatorContainerOptions {
  image: string;
  /** Files on the host, copied into the container (the image's user cannot read 0600 bind mounts). */
  kubeconfig: string;
  tokenFile: string;
  patronusUrl: string;
  /** Leader-election identity; names the container and its log file. */
  identity: string;
  watchNamespace: string;
  leaderElect: boolean;
  /** More operator flags (concurrency, qps, lease durations, …). */
  args: readonly string[];
  limits?: ContainerLimits;
  logDir: string;
  logLevel?: string;
  startTimeoutMs?: number;
}

export interface OperatorContainer {
  readonly id: string;
  readonly identity: string;
  /** Host PID of the container's node process: the process measurements read /proc/<pid>. */
  readonly pid: number | undefined;
  readonly running: boolean;
  readonly metricsUrl: string;
  readonly limits: ContainerLimits;
  /**
   * As a process exit: a container killed by signal N exits 128+N, reported as that signal;
   * oomKilled when the kernel killed it for exceeding its memory limit.
   */
  readonly exited: Promise<{ code: number | null; signal: string | null; oomKilled: boolean }>;
  observedLimits(): Promise<ObservedLimits>;
  kill(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

function signalName(n: number): string | undefined {
  return Object.entries(constants.signals).find(([, v]) => v === n)?.[0];
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new HarnessError("no free loopback port");
  return address.port;
}

/** Containers of harness processes that died without cleaning up (no reaper container here). */
export async function removeLeftoverContainers(): Promise<string[]> {
  const ps = await execa(
    "docker",
    ["ps", "-aq", "--filter", `label=${OWNER_LABEL}`, "--format", `{{.ID}} {{.Label "${OWNER_LABEL}"}}`],
    {
      reject: false,
    },
  );
  const removed: string[] = [];
  for (const line of ps.stdout.split("\n").filter(Boolean)) {
    const [id, pid] = line.split(" ");
    if (!id || !pid) continue;
    if (!isAlive(Number(pid))) {
      await execa("docker", ["rm", "-f", id], { reject: false });
      removed.push(id);
    }
  }
  return removed;
}

/** One operator container as the harness runs it, whichever image: what to run and when it is up. */
export interface OperatorContainerSpec {
  image: string;
  /** Names the container and its log file. */
  identity: string;
  /** Host files copied into the container at `target` (world-readable). */
  files: Array<{ source: string; target: string }>;
  env: Record<string, string>;
  /** Replaces the image's entry point when given. */
  entrypoint?: readonly string[] | undefined;
  /** Arguments to the entry point. */
  command: readonly string[];
  /** The host port its /metrics listens on (host networking). */
  metricsPort: number;
  /** Up when this line appears in its log, or when this URL answers 2xx. */
  ready: { log: RegExp } | { url: string };
  limits?: ContainerLimits | undefined;
  logDir: string;
  startTimeoutMs?: number | undefined;
}

export async function startOperatorContainer(o: OperatorContainerOptions): Promise<OperatorContainer> {
  const port = await freeLoopbackPort();
  return runOperatorContainer({
    image: o.image,
    identity: o.identity,
    files: [
      { source: o.kubeconfig, target: "/etc/patronus/kubeconfig.yaml" },
      { source: o.tokenFile, target: "/etc/patronus/token" },
    ],
    env: { POD_NAME: o.identity, ...OPERATOR_ENV },
    command: [
      // The image's entrypoint is node itself: V8 flags go before the script, as for a process.
      ...OPERATOR_NODE_OPTIONS,
      OPERATOR_SCRIPT,
      "--kubeconfig",
      "/etc/patronus/kubeconfig.yaml",
      "--patronus-url",
      o.patronusUrl,
      "--patronus-token-file",
      "/etc/patronus/token",
      "--namespace",
      o.watchNamespace,
      "--metrics-bind-address",
      "127.0.0.1",
      "--metrics-port",
      String(port),
      "--leader-elect",
      String(o.leaderElect),
      "--identity",
      o.identity,
      "--log-level",
      o.logLevel ?? "info",
      ...o.args,
    ],
    metricsPort: port,
    ready: { log: /metrics server listening/ },
    limits: o.limits,
    logDir: o.logDir,
    startTimeoutMs: o.startTimeoutMs,
  });
}

/** Polls a readiness URL until it answers 2xx; throws when the container exits first or time runs out. */
async function waitAnswers(url: string, id: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await answersOnce(url)) return;
    const state = await execa("docker", ["inspect", "-f", "{{.State.Running}} {{.State.ExitCode}}", id], {
      reject: false,
    });
    const [running, code] = state.stdout.trim().split(" ");
    if (running !== "true") throw new Error(`it exited (code ${code ?? "unknown"}) before ${url} answered`);
    if (performance.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

export async function runOperatorContainer(o: OperatorContainerSpec): Promise<OperatorContainer> {
  // Ryuk (the reaper container) would have to be pulled; cleanup is ours: stop(), the owner label
  // and removeLeftoverContainers().
  process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
  const { GenericContainer, Wait } = await import("testcontainers");
  const limits = o.limits ?? POD_LIKE_LIMITS;
  const quota = dockerQuota(limits);
  const logFile = join(o.logDir, `${o.identity}.log`);
  const log = createWriteStream(logFile, { flags: "a" });
  const name = `patronus-${o.identity}-${process.pid}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
  const timeoutMs = o.startTimeoutMs ?? 60_000;
  let started: StartedTestContainer;
  try {
    let builder = new GenericContainer(o.image)
      .withName(name)
      .withNetworkMode("host")
      .withLabels({ [OWNER_LABEL]: String(process.pid), "patronus-bench.identity": o.identity })
      .withCopyFilesToContainer(o.files.map((f) => ({ ...f, mode: 0o444 })))
      .withEnvironment(o.env)
      .withCommand([...o.command])
      .withResourcesQuota({ cpu: quota.cpu, memory: quota.memoryGiB })
      .withLogConsumer((stream: Readable) => stream.pipe(log))
      .withStartupTimeout(timeoutMs);
    if (o.entrypoint) builder = builder.withEntrypoint([...o.entrypoint]);
    if ("log" in o.ready) builder = builder.withWaitStrategy(Wait.forLogMessage(o.ready.log));
    started = await builder.start();
    if ("url" in o.ready) await waitAnswers(o.ready.url, started.getId(), timeoutMs);
  } catch (err) {
    log.end();
    const tail = await execa("docker", ["logs", "--tail", "15", name], { reject: false, all: true });
    await execa("docker", ["rm", "-f", name], { reject: false });
    const output = tail.exitCode === 0 && tail.all ? `\n${tail.all}` : "";
    throw new HarnessError(
      `operator container ${name} (${o.image}) did not start: ${(err as Error).message}${output}`,
      {
        fix: `see ${logFile}; build the image with ci/container/build-image.sh`,
      },
    );
  }
  const port = o.metricsPort;
  const id = started.getId();
  const untrack = trackContainer(id);
  const inspect = await execa("docker", ["inspect", "-f", "{{.State.Pid}}", id]);
  const pid = Number(inspect.stdout.trim()) || undefined;
  let running = true;
  const exited = execa("docker", ["wait", id], { reject: false }).then(async (r) => {
    running = false;
    // Asked before stop() removes the container: an OOM kill looks like any SIGKILL otherwise.
    const oom = await execa("docker", ["inspect", "-f", "{{.State.OOMKilled}}", id], { reject: false });
    const oomKilled = oom.stdout.trim() === "true";
    const code = Number(r.stdout.trim());
    const signal = code > 128 ? signalName(code - 128) : undefined;
    return signal
      ? { code: null, signal, oomKilled }
      : { code: Number.isFinite(code) ? code : null, signal: null, oomKilled };
  });
  let stopping: Promise<void> | undefined;
  return {
    id,
    identity: o.identity,
    get pid() {
      return running ? pid : undefined;
    },
    get running() {
      return running;
    },
    metricsUrl: `http://127.0.0.1:${port}/metrics`,
    limits,
    exited,
    observedLimits: () => observeLimitsFromHost(id, pid),
    kill: (signal) => {
      void execa("docker", ["kill", "--signal", signal, id], { reject: false });
    },
    stop: () => {
      stopping ??= (async () => {
        // As a kubelet does: SIGTERM, then SIGKILL after the grace period; the container is removed.
        await started.stop({ timeout: 15_000, remove: true }).catch(async () => {
          await execa("docker", ["rm", "-f", id], { reject: false });
        });
        untrack();
        running = false;
        log.end();
      })();
      return stopping;
    },
  };
}

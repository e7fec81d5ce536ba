/**
 * Starts and always stops the processes a run needs (etcd, kube-apiserver, operators, the mesh
 * simulator). Every process started through a ProcessSet is stopped by stopAll(), and every
 * live ProcessSet is stopped on SIGINT/SIGTERM or a normal process exit, so a failed assertion
 * or Ctrl-C leaves nothing behind.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { execa, type ResultPromise } from "execa";
import { HarnessError } from "../errors.ts";

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** stdout and stderr go here (appended); the tail is quoted when the process dies early. */
  logFile?: string;
  /** Called with each stdout/stderr chunk, e.g. to watch for a readiness line. */
  onOutput?: (chunk: string) => void;
}

export class ManagedProcess {
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  private tail = "";

  readonly name: string;
  private readonly child: ResultPromise;
  private readonly log: WriteStream | undefined;

  constructor(
    name: string,
    child: ResultPromise,
    log: WriteStream | undefined,
    onOutput?: (chunk: string) => void,
  ) {
    this.name = name;
    this.child = child;
    this.log = log;
    const capture = (buf: Buffer) => {
      const s = buf.toString();
      this.tail = (this.tail + s).slice(-4000);
      onOutput?.(s);
    };
    child.stdout?.on("data", capture);
    child.stderr?.on("data", capture);
    if (log) {
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
    }
    this.exited = new Promise<ExitInfo>((resolve) => {
      child.once("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      child.once("error", () => {
        this.exitInfo ??= { code: null, signal: null };
        resolve(this.exitInfo);
      });
    });
    // execa rejects on non-zero exit; we report exits through `exited` instead.
    child.catch(() => {});
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new HarnessError(`${this.name} has no pid (it failed to start)`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last few KB of output, to quote in an error when the process dies. */
  outputTail(lines = 15): string {
    return this.tail.trimEnd().split("\n").slice(-lines).join("\n");
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
  async stop(graceMs = 5000): Promise<ExitInfo> {
    if (this.running) {
      this.child.kill("SIGTERM");
      // A process frozen by a pause fault acts on SIGTERM only once it runs again.
      this.child.kill("SIGCONT");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
    return this.exitInfo ?? (await this.exited);
  }
}

const liveSets = new Set<ProcessSet>();
const exitCleanups = new Set<() => void>();
let hooksInstalled = false;

/**
 * A synchronous cleanup (e.g. rmSync of temp dirs) run when the process exits without having
 * stopped normally: an uncaught exception, process.exit, or after a signal. Returns the
 * unregister function to call once the owner has cleaned up by itself.
 */
export function onExitCleanup(fn: () => void): () => void {
  installHooks();
  exitCleanups.add(fn);
  return () => exitCleanups.delete(fn);
}

const graceful = new Set<(signal: NodeJS.Signals) => void>();
let gracefulDeadline: NodeJS.Timeout | undefined;
const GRACEFUL_STOP_MS = 120_000;

/**
 * Lets a long job (a run) stop itself on the first SIGINT/SIGTERM — ending its phase, removing what
 * it created on a cluster it does not own while its operator still runs, stopping its processes —
 * instead of every process being stopped at once. A second signal, or the job not done within
 * two minutes, stops everything at once as before. Returns the unregister function.
 */
export function onFirstSignal(handler: (signal: NodeJS.Signals) => void): () => void {
  installHooks();
  graceful.add(handler);
  return () => {
    graceful.delete(handler);
    if (graceful.size === 0 && gracefulDeadline) {
      clearTimeout(gracefulDeadline);
      gracefulDeadline = undefined;
    }
  };
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // `on`, not `once`: execa's signal-exit re-raises a signal when it is the only listener left,
  // which would kill us before the children are stopped. A second Ctrl-C exits at once.
  let stopping = false;
  const stopNow = (code: number) => {
    const pending = [...liveSets].map((s) => s.stopAll());
    void Promise.allSettled(pending).then(() => process.exit(code));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    const code = signal === "SIGINT" ? 130 : 143;
    if (stopping) process.exit(code);
    stopping = true;
    if (graceful.size > 0) {
      for (const handler of graceful) handler(signal);
      gracefulDeadline = setTimeout(() => stopNow(code), GRACEFUL_STOP_MS);
      return;
    }
    stopNow(code);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // Last resort on a plain exit (e.g. process.exit in a test): synchronous SIGKILL.
  process.once("exit", () => {
    for (const set of liveSets) set.killAllNow();
    for (const fn of exitCleanups) {
      try {
        fn();
      } catch {
        // Best effort: the process is exiting.
      }
    }
  });
}

/** Whether a process with this PID exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class ProcessSet {
  private readonly procs: ManagedProcess[] = [];

  constructor() {
    installHooks();
    liveSets.add(this);
  }

  start(name: string, file: string, args: readonly string[], options: StartOptions = {}): ManagedProcess {
    const log = options.logFile ? createWriteStream(options.logFile, { flags: "a" }) : undefined;
    const child = execa(file, args, {
      env: options.env,
      extendEnv: true,
      cwd: options.cwd,
      stdin: "ignore",
      buffer: false,
      // We stop children ourselves, in order; execa's own exit hook would race with that.
      cleanup: true,
      forceKillAfterDelay: false,
    });
    const proc = new ManagedProcess(name, child, log, options.onOutput);
    this.procs.push(proc);
    liveSets.add(this);
    return proc;
  }

  get processes(): readonly ManagedProcess[] {
    return this.procs;
  }

  /** Stops every process, newest first (clients before the servers they talk to). */
  async stopAll(graceMs = 5000): Promise<void> {
    for (const p of [...this.procs].reverse()) await p.stop(graceMs);
    liveSets.delete(this);
  }

  killAllNow(): void {
    for (const p of this.procs) p.kill("SIGKILL");
  }
}

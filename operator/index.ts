/**
 * Library entry for the harness: start the operator as a separate process (the way it runs in
 * production) and get its pid and metrics URL. Replicas for failover tests are just several calls.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HarnessError } from "../harness/errors.ts";
import { type ExitInfo, type ManagedProcess, ProcessSet } from "../harness/process/supervisor.ts";

export const OPERATOR_MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

export interface OperatorProcessOptions {
  kubeconfig: string;
  patronusUrl: string;
  /** Written to `<runDir>/patronus-token` (mode 600) unless patronusTokenFile is given. */
  patronusToken?: string;
  patronusTokenFile?: string;
  runDir: string;
  /** Names the log file and the leader-election identity. */
  name?: string;
  namespace?: string;
  leaderElect?: boolean;
  /** Extra flags, e.g. ["--concurrency", "8", "--leader-elect-lease-duration", "4s"]. */
  args?: readonly string[];
  env?: Record<string, string | undefined>;
  logLevel?: string;
  /** Start through this set (stopped with it); a private set otherwise. */
  processes?: ProcessSet;
  startTimeoutMs?: number;
}

export interface OperatorProcess {
  name: string;
  pid: number;
  metricsUrl: string;
  logFile: string;
  process: ManagedProcess;
  exited: Promise<ExitInfo>;
  stop(graceMs?: number): Promise<ExitInfo>;
  kill(signal?: NodeJS.Signals): void;
}

export async function startOperatorProcess(o: OperatorProcessOptions): Promise<OperatorProcess> {
  const name = o.name ?? "operator";
  let tokenFile = o.patronusTokenFile;
  if (!tokenFile) {
    if (!o.patronusToken)
      throw new HarnessError("startOperatorProcess needs patronusToken or patronusTokenFile");
    tokenFile = join(o.runDir, `${name}.patronus-token`);
    writeFileSync(tokenFile, o.patronusToken, { mode: 0o600 });
  }
  const logFile = join(o.runDir, `${name}.log`);
  const args = [
    OPERATOR_MAIN,
    "--kubeconfig",
    o.kubeconfig,
    "--patronus-url",
    o.patronusUrl,
    "--patronus-token-file",
    tokenFile,
    "--namespace",
    o.namespace ?? "default",
    "--metrics-port",
    "0",
    "--leader-elect",
    String(o.leaderElect ?? false),
    "--identity",
    name,
    "--log-level",
    o.logLevel ?? "info",
    ...(o.args ?? []),
  ];
  const set = o.processes ?? new ProcessSet();
  let resolveUrl: (url: string) => void = () => {};
  const urlSeen = new Promise<string>((resolve) => (resolveUrl = resolve));
  let buffered = "";
  const proc = set.start(name, process.execPath, args, {
    logFile,
    env: o.env,
    onOutput: (chunk) => {
      buffered += chunk;
      const m = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"metrics server listening"/.exec(buffered);
      if (m?.[1]) {
        resolveUrl(m[1]);
        buffered = "";
      } else if (buffered.length > 64_000) buffered = buffered.slice(-8000);
    },
  });
  const timeoutMs = o.startTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    urlSeen.then((url) => ({ url })),
    proc.exited.then((e) => ({ exited: e })),
    new Promise<{ timeout: true }>((resolve) => {
      timer = setTimeout(() => resolve({ timeout: true }), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (!("url" in outcome)) {
    const why =
      "exited" in outcome
        ? `exited (code ${outcome.exited.code}, signal ${outcome.exited.signal})`
        : `did not serve metrics within ${timeoutMs} ms`;
    await proc.stop(2000);
    throw new HarnessError(`operator ${name} ${why}:\n${proc.outputTail()}`, { fix: `see ${logFile}` });
  }
  return {
    name,
    pid: proc.pid,
    metricsUrl: `${outcome.url}/metrics`,
    logFile,
    process: proc,
    exited: proc.exited,
    stop: (graceMs = 15_000) => proc.stop(graceMs),
    kill: (signal = "SIGTERM") => proc.kill(signal),
  };
}

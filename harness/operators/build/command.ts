/**
 * Runs a build command with its output in a log file and a progress line every ~10 s (elapsed
 * time, and how many units it compiled where it prints cargo-style "Compiling" lines), so a
 * 15-minute cold build does not look hung. A failure names the log and shows its last lines.
 */
import { createWriteStream } from "node:fs";
import { execa } from "execa";
import { HarnessError } from "../../errors.ts";

export interface BuildCommand {
  /** For messages: e.g. "patronus-rs (3f2a9c1d…)". */
  label: string;
  command: readonly string[];
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  log: (line: string) => void;
  progressEveryMs?: number;
}

const TAIL_LINES = 20;

export async function runBuildCommand(b: BuildCommand): Promise<{ seconds: number; compiled: number }> {
  const [file, ...args] = b.command as [string, ...string[]];
  const out = createWriteStream(b.logFile);
  const tail: string[] = [];
  let partial = "";
  let compiled = 0;
  const onLine = (line: string) => {
    if (/^\s*Compiling\s/.test(line)) compiled++;
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) / 1000);
  b.log(`building ${b.label}: ${b.command.join(" ")} (log ${b.logFile})`);
  const timer = setInterval(() => {
    b.log(`building ${b.label}: ${elapsed()} s${compiled > 0 ? `, ${compiled} compiled` : ""}`);
  }, b.progressEveryMs ?? 10_000);
  try {
    const child = execa(file, args, {
      cwd: b.cwd,
      env: b.env,
      extendEnv: false,
      all: true,
      buffer: false,
      reject: false,
      stdin: "ignore",
    });
    child.all?.on("data", (chunk: Buffer) => {
      out.write(chunk);
      const lines = (partial + chunk.toString("utf8")).split(/\r?\n/);
      partial = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
    const result = await child;
    if (partial) onLine(partial);
    await new Promise<void>((resolve) => out.end(resolve));
    if (result.failed) {
      const why =
        (result as { code?: string }).code === "ENOENT"
          ? `cannot run ${file}: not found on PATH`
          : `exited with ${result.exitCode ?? result.signal ?? "an error"}`;
      throw new HarnessError(
        `building ${b.label} failed after ${elapsed()} s: ${why}${tail.length ? `; its last lines:\n${tail.join("\n")}` : ""}`,
        { fix: `see the whole build output in ${b.logFile}` },
      );
    }
    return { seconds: (performance.now() - started) / 1000, compiled };
  } finally {
    clearInterval(timer);
    out.end();
  }
}

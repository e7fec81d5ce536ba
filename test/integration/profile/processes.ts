/**
 * Process bookkeeping for the profile tests: the CLI runs as a child, and every process it starts
 * (etcd, kube-apiserver, the mesh simulator, operators) is recorded by PID while it runs, so the
 * test can assert afterwards that none of them is left.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const REPO = join(import.meta.dirname, "..", "..", "..");
const CLI = join(REPO, "harness", "cli", "main.ts");

function stat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm may contain spaces and parentheses: fields start after the last ")".
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: rest[0] ?? "?", ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(Number(entry));
    children.set(s.ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift() as number) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** Alive and not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== "Z" && s.state !== "X";
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every descendant seen while the CLI ran. */
  pids: Set<number>;
}

/** `interruptOn`: Ctrl-C (SIGINT) the CLI once its stderr has shown this, as a user at the terminal would. */
export function runCli(args: string[], timeoutMs: number, interruptOn?: RegExp): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pids = new Set<number>();
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => {
      stdout += b;
    });
    let interrupted = false;
    child.stderr.on("data", (b: Buffer) => {
      stderr += b;
      if (interruptOn && !interrupted && interruptOn.test(stderr)) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    const poll = setInterval(() => {
      if (child.pid) for (const p of descendantsOf(child.pid)) pids.add(p);
    }, 200);
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`patronus-bench ${args.join(" ")} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, stdout, stderr, pids });
    });
  });
}

/** Waits briefly for stopped processes to be gone, then returns those still running. */
export async function leftovers(pids: Iterable<number>, graceMs = 3000): Promise<number[]> {
  const deadline = Date.now() + graceMs;
  let alive = [...pids].filter(isRunning);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    alive = alive.filter(isRunning);
  }
  return alive;
}

/** The lines the CLI printed on stderr that are not progress lines ("[12s] …"). */
export function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.trim() !== "" && !/^\s*\[\d+s\]/.test(l) && !l.includes("\x1b"));
}

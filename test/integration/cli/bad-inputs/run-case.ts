/**
 * Runs one bad input and reports what the user would see: the exit code (HTTP status for the
 * API) and the first line, with the scratch directory and the checkout written <tmp> and <repo>.
 * CLI cases run the CLI's main() in this process (stdout/stderr captured); the permission cases
 * run a separate process as an unprivileged user.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { main } from "../../../../harness/cli/main.ts";
import type { MeshSimulator } from "../../../../harness/mesh/index.ts";
import { REPO_ROOT } from "../../../../harness/paths.ts";
import type { ApiCase, BadInput, CliCase } from "./cases.ts";

export interface Seen {
  status: number;
  first: string;
}

const NOBODY = 65534;

export function placeholders(tmp: string) {
  const fill = (s: string) => s.replaceAll("<tmp>", tmp).replaceAll("<repo>", REPO_ROOT);
  const hide = (s: string) => s.replaceAll(tmp, "<tmp>").replaceAll(REPO_ROOT, "<repo>");
  return { fill, hide };
}

/** An expectation ending in " …" matches the start of the line (e.g. a list that grows). */
export function matches(expected: string, seen: string): boolean {
  return expected.endsWith(" …") ? seen.startsWith(expected.slice(0, -2)) : seen === expected;
}

/** stderr of an in-process command. stdout is left alone: the test runner reports through it. */
async function captured(job: () => Promise<number>): Promise<{ code: number; stderr: string }> {
  const write = process.stderr.write;
  let stderr = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await job(), stderr };
  } finally {
    process.stderr.write = write;
  }
}

async function runCli(c: CliCase, tmp: string): Promise<Seen> {
  const { fill, hide } = placeholders(tmp);
  for (const [name, text] of Object.entries(c.files ?? {})) {
    const path = join(tmp, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  const argv = c.argv.map(fill);
  let code: number;
  let stderr: string;
  if (c.unprivileged) {
    // The scratch directory is traversable, the directory the run would be created in is not writable.
    chmodSync(tmp, 0o755);
    chmodSync(dirname(fill(c.argv.at(-1) ?? "")), 0o555);
    // Root may write anywhere: the permission check is seen as an ordinary user.
    const asUser =
      process.getuid?.() === 0 ? ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups"] : [];
    const command = [...asUser, process.execPath, join(REPO_ROOT, "harness/cli/main.ts"), ...argv];
    const r = spawnSync(command[0] as string, command.slice(1), {
      encoding: "utf8",
      cwd: "/",
      timeout: 60_000,
    });
    code = r.status ?? -1;
    stderr = r.stderr;
  } else {
    ({ code, stderr } = await captured(() => main(argv)));
  }
  return { status: code, first: hide(stderr.split("\n")[0] ?? "") };
}

async function runApi(c: ApiCase, sim: MeshSimulator): Promise<Seen> {
  const headers: Record<string, string> = {};
  if (c.token !== "none")
    headers.authorization = `Bearer ${c.token === "wrong" ? "wrong-token-wrong-token" : sim.token}`;
  let body: string | undefined;
  const site = sim.world.sites[0];
  if (c.body && "raw" in c.body) body = c.body.raw;
  if (c.body && "json" in c.body) body = JSON.stringify(c.body.json).replaceAll("<site>", site?.name ?? "");
  if (c.body && "site" in c.body) body = JSON.stringify({ ...site, ...c.body.site });
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${sim.url}${c.path}`, {
    method: c.method,
    headers,
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let first = text.split("\n")[0] ?? "";
  try {
    const error = JSON.parse(text) as { code?: string; message?: string };
    first = `${error.code}: ${error.message}`;
  } catch {
    // Not JSON: the raw first line is what a client sees.
  }
  return { status: res.status, first };
}

export function runCase(c: BadInput, context: { tmp: string; sim: MeshSimulator }): Promise<Seen> {
  return c.kind === "cli" ? runCli(c, context.tmp) : runApi(c, context.sim);
}

/**
 * Every documented way to start the CLI runs the command it is given: `npx patronus-bench` in a
 * checkout, the package bin of a global install, `npm run patronus-bench --`, and bin.js under
 * Node 24 (imports main.ts) and under an older Node (re-executes the project's Node 24).
 * Each one must list the scenarios, refuse an unknown one with exit 1 and print usage — a bin
 * that exits 0 without doing anything fails all three.
 */
import assert from "node:assert/strict";
import { type SpawnOptions, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT } from "../../../harness/paths.ts";
import { builtinNames } from "../../../harness/scenario/load.ts";

const BIN = join(REPO_ROOT, "harness/cli/bin.js");

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function exec(command: string, args: string[], options: SpawnOptions = {}): Outcome {
  const r = spawnSync(command, args, { encoding: "utf8", timeout: 120_000, ...options });
  if (r.error) throw r.error;
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A `node` on PATH older than 24, which takes bin.js's re-exec path; undefined when there is none. */
function olderNode(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "node");
    if (!existsSync(candidate)) continue;
    const r = spawnSync(candidate, ["-p", "process.versions.node"], { encoding: "utf8" });
    if (r.status === 0 && Number(r.stdout.split(".")[0]) < 24) return candidate;
  }
  return undefined;
}

interface EntryPoint {
  name: string;
  run: (args: string[]) => Outcome;
}

const prefix = mkdtempSync(join(tmpdir(), "pb-global-"));
const elsewhere = mkdtempSync(join(tmpdir(), "pb-cwd-"));
const older = olderNode();

const entryPoints: EntryPoint[] = [
  {
    name: "npx patronus-bench (in the checkout)",
    run: (a) => exec("npx", ["--no-install", "patronus-bench", ...a], { cwd: REPO_ROOT }),
  },
  {
    name: "the bin of a global install (npm install -g --prefix)",
    run: (a) => exec(join(prefix, "bin", "patronus-bench"), a, { cwd: elsewhere }),
  },
  {
    name: "npm run patronus-bench --",
    run: (a) => exec("npm", ["run", "patronus-bench", "--", ...a], { cwd: REPO_ROOT }),
  },
  { name: "bin.js under Node 24", run: (a) => exec(process.execPath, [BIN, ...a], { cwd: elsewhere }) },
  ...(older
    ? [
        {
          name: `bin.js under ${older} (re-exec)`,
          run: (a: string[]) => exec(older, [BIN, ...a], { cwd: elsewhere }),
        },
      ]
    : []),
];

before(() => {
  // A linked global install into a throwaway prefix; the real global prefix is never touched.
  mkdirSync(join(prefix, "lib"), { recursive: true });
  const r = exec(
    "npm",
    [
      "install",
      "--global",
      "--prefix",
      prefix,
      REPO_ROOT,
      "--install-links=false",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
    ],
    { cwd: elsewhere },
  );
  assert.equal(r.code, 0, `npm install -g failed:\n${r.stderr}`);
});
after(() => {
  rmSync(prefix, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

it("finds a Node older than 24 on PATH for the re-exec path", {
  skip: older ? false : "no Node older than 24 on PATH",
}, () => {
  assert.ok(older);
});

for (const entry of entryPoints) {
  describe(entry.name, () => {
    it("list prints every built-in scenario, exit 0", () => {
      const r = entry.run(["list"]);
      assert.equal(r.code, 0, r.stderr);
      for (const name of builtinNames()) assert.match(r.stdout, new RegExp(`^\\s*${name}\\s`, "m"));
    });

    it("run nosuch exits 1 with one error line", () => {
      const r = entry.run(["run", "nosuch"]);
      assert.equal(r.code, 1);
      // npm run adds its own lines about the failed script after the CLI's.
      const first = r.stderr.trim().split("\n")[0];
      assert.match(first ?? "", /^error: no built-in scenario named "nosuch" — fix: use one of /);
    });

    it("--help prints usage, exit 0", () => {
      const r = entry.run(["--help"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Usage: patronus-bench \[options\] \[command\]$/m);
      assert.match(r.stdout, /^ {2}run \[options\] <scenario>/m);
    });
  });
}

describe("the re-exec path forwards signals", {
  skip: older ? false : "no Node older than 24 on PATH",
}, () => {
  it("SIGTERM to the older Node's process reaches the Node 24 child, which stops", {
    timeout: 90_000,
  }, async (t) => {
    const token = join(elsewhere, "token");
    const parent = spawn(
      older as string,
      [BIN, "mesh", "--token-file", token, "--sites", "4", "--regions", "1"],
      {
        cwd: elsewhere,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    let runner: number | undefined;
    parent.stdout?.on("data", (d: Buffer) => {
      stdout += d;
      if (runner === undefined && stdout.includes("mesh simulator ready at ")) {
        const children = spawnSync("pgrep", ["-P", String(parent.pid)], { encoding: "utf8" });
        runner = Number(children.stdout.trim().split("\n")[0]);
        parent.kill("SIGTERM");
      }
    });
    parent.stderr?.on("data", (d: Buffer) => {
      stderr += d;
    });
    t.after(() => {
      if (parent.exitCode === null && parent.signalCode === null) parent.kill("SIGTERM");
      // A bin that does not forward leaves the Node 24 child running on its own.
      if (runner) spawnSync("kill", ["-TERM", String(runner)]);
    });
    const code = await new Promise<number | null>((resolve) => parent.on("close", (c) => resolve(c)));
    assert.ok(runner && runner > 0, "the Node 24 child was found");
    assert.throws(() => process.kill(runner as number, 0), { code: "ESRCH" }, "the Node 24 child is gone");
    // The simulator's own exit status on SIGTERM, passed through (0, or 143 as a shell reports a SIGTERM).
    assert.ok(code === 0 || code === 143, `exit ${code}: ${stderr}`);
  });
});

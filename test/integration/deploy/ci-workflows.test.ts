/**
 * The copyable CI: every workflow in ci/github/workflows passes actionlint (with shellcheck on its
 * run: blocks), every ci/ script passes shellcheck, both linters demonstrably catch errors, and
 * every `pb <command> --flag` the scripts use is a real patronus-bench command and option.
 * A missing linter fails the test with the command that installs it — nothing is skipped.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Command } from "commander";
import { execa } from "execa";
import { registerCommands } from "../../../harness/cli/commands/index.ts";
import { REPO_ROOT } from "../../../harness/paths.ts";
import { requires } from "../../prerequisites/requires.ts";

const WORKFLOWS = join(REPO_ROOT, "ci", "github", "workflows");

async function tool(name: string, fix: string, extra: string[] = []): Promise<string> {
  for (const candidate of [name, ...extra]) {
    if (candidate.includes("/") && !existsSync(candidate)) continue;
    const r = await execa(candidate, ["--version"], { reject: false });
    if (r.exitCode === 0) return candidate;
  }
  assert.fail(`${name} is not installed — ${fix}`);
}

const actionlint = () =>
  tool("actionlint", "go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 (Go module proxy)", [
    join(process.env.GOPATH ?? join(homedir(), "go"), "bin", "actionlint"),
  ]);
const shellcheck = () => tool("shellcheck", "apt-get install -y shellcheck");

/** Sourced by other scripts: no shebang, the caller's options. */
const SOURCED = new Set(["ci/lib.sh", "ci/kind/node-image/versions.sh"]);
/** POSIX sh run inside the kind node image (Debian's dash), not bash. */
const NODE_SH = [
  "ci/kind/node-image/images/write-cni-config",
  "ci/kind/node-image/images/containerd-oom-score-policy",
];

async function scripts(): Promise<string[]> {
  const out: string[] = ["ci/container/runc-within-bounding-set"];
  for (const dir of ["ci", "ci/kind", "ci/kind/node-image", "ci/container"]) {
    for (const f of await readdir(join(REPO_ROOT, dir))) if (f.endsWith(".sh")) out.push(join(dir, f));
  }
  return out.sort();
}

describe("CI workflows and scripts", () => {
  it(
    "the three workflows exist and pass actionlint with shellcheck",
    requires("actionlint", "shellcheck"),
    async () => {
      const files = (await readdir(WORKFLOWS)).filter((f) => f.endsWith(".yml")).sort();
      assert.deepEqual(files, ["nightly-benchmark.yml", "pr-benchmark.yml", "pre-release-gate.yml"]);
      const r = await execa(
        await actionlint(),
        ["-shellcheck", await shellcheck(), ...files.map((f) => join(WORKFLOWS, f))],
        { reject: false, all: true },
      );
      assert.equal(r.exitCode, 0, r.all);
    },
  );

  it("actionlint rejects a broken workflow (the check can fail)", requires("actionlint"), async () => {
    const dir = await mkdtemp(join(tmpdir(), "actionlint-"));
    try {
      const bad = join(dir, "bad.yml");
      await writeFile(
        bad,
        // A misspelt action input: actionlint knows actions/checkout's inputs.
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          fetch-dept: 0\n",
      );
      const r = await execa(await actionlint(), [bad], { reject: false, all: true });
      assert.equal(r.exitCode, 1, r.all);
      assert.match(r.all ?? "", /fetch-dept/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it(
    "every ci/ script is executable bash with set -euo pipefail and passes shellcheck",
    requires("shellcheck"),
    async () => {
      const files = await scripts();
      for (const f of files) {
        const text = await readFile(join(REPO_ROOT, f), "utf8");
        if (SOURCED.has(f)) continue;
        assert.match(text, /^#!\/usr\/bin\/env bash\n/, `${f} shebang`);
        assert.ok(
          /set -euo pipefail/.test(text) || /source "\$\(dirname "\$0"\)\/(\.\.\/)?lib\.sh"/.test(text),
          `${f} strict mode`,
        );
      }
      const r = await execa(await shellcheck(), ["-x", ...files], {
        cwd: REPO_ROOT,
        reject: false,
        all: true,
      });
      assert.equal(r.exitCode, 0, r.all);
      const bad = await execa(await shellcheck(), ["-s", "bash", "-"], {
        input: "rm -rf $dir/*\n",
        reject: false,
      });
      assert.equal(bad.exitCode, 1, "shellcheck flags an unquoted expansion");
      for (const f of NODE_SH) {
        assert.match(await readFile(join(REPO_ROOT, f), "utf8"), /^#!\/bin\/sh\n/, `${f} shebang`);
        const sh = await execa(await shellcheck(), ["-s", "sh", f], {
          cwd: REPO_ROOT,
          reject: false,
          all: true,
        });
        assert.equal(sh.exitCode, 0, sh.all);
      }
    },
  );

  it("workflows call ci/ scripts that exist and are executable", async () => {
    for (const f of (await readdir(WORKFLOWS)).filter((x) => x.endsWith(".yml"))) {
      const text = await readFile(join(WORKFLOWS, f), "utf8");
      const calls = [...text.matchAll(/run: (ci\/[\w./-]+\.sh)/g)].map((m) => m[1] ?? "");
      assert.ok(calls.length > 0, `${f} runs a ci/ script`);
      for (const c of calls) {
        const mode = await execa("test", ["-x", join(REPO_ROOT, c)], { reject: false });
        assert.equal(mode.exitCode, 0, `${f}: ${c} is missing or not executable`);
      }
    }
  });

  it("every `pb <command> --flag` in the scripts is a real CLI command and option", async () => {
    const program = new Command("patronus-bench");
    registerCommands(program);
    const find = (path: string[]): Command | undefined => {
      let cmd: Command | undefined = program;
      for (const p of path) cmd = cmd?.commands.find((c) => c.name() === p);
      return cmd;
    };
    let checked = 0;
    for (const f of await scripts()) {
      const text = await readFile(join(REPO_ROOT, f), "utf8");
      for (const m of text.matchAll(/\bpb ((?:[a-z][\w-]*)(?: [a-z][\w-]*)?)([^\n|>)]*)/g)) {
        const words = (m[1] ?? "").split(" ");
        const cmd = find(words) ?? find(words.slice(0, 1));
        assert.ok(cmd, `${f}: patronus-bench ${words[0]} is not a command`);
        for (const flag of (m[2] ?? "").match(/--[a-z][\w-]*/g) ?? []) {
          const known = cmd.options.some((o) => o.long === flag || o.long === flag.replace(/^--no-/, "--"));
          assert.ok(known, `${f}: \`patronus-bench ${cmd.name()} ${flag}\` is not an option`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 15, `checked ${checked} flags`);
    console.log(`${checked} flags checked against the CLI`);
  });
});

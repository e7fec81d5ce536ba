/**
 * Bad input gets one clear error line naming the cause and the fix, exit 1, and no stack trace
 * unless --debug is given.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pinnedVersions } from "../../../harness/cluster/embedded/binaries.ts";
import { REPO_ROOT } from "../../../harness/paths.ts";

const CLI = join(REPO_ROOT, "harness/cli/main.ts");

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split("\n");
  const error = lines.find((l) => l.startsWith("error: "));
  assert.ok(error, `no "error:" line in:\n${stderr}`);
  assert.match(error, pattern);
  assert.match(error, /fix: /, "the error line says how to fix it");
  assert.ok(!/^\s+at /m.test(stderr), `a stack trace was printed without --debug:\n${stderr}`);
}

describe("bad input to `up --check`", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "pb-bad-input-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a missing binary names the variable that points at it", () => {
    const r = cli(["up", "--check"], { TEST_ASSET_ETCD: join(dir, "no-such-etcd") });
    assert.equal(r.code, 1);
    assertOneLineError(r.stderr, /TEST_ASSET_ETCD points at .*no-such-etcd, which does not exist/);
  });

  it("a broken binary is named, with its output", () => {
    const fake = join(dir, "etcd");
    writeFileSync(fake, "#!/bin/sh\necho 'segfault in fake etcd' >&2\nexit 3\n");
    chmodSync(fake, 0o755);
    const r = cli(["up", "--check"], { TEST_ASSET_ETCD: fake });
    assert.equal(r.code, 1);
    assertOneLineError(r.stderr, /etcd at .*etcd does not run \(exit 3: segfault in fake etcd\)/);
  });

  it("a corrupt cache says so and how to rebuild", () => {
    const cache = join(dir, "cache");
    const v = pinnedVersions();
    const cdir = join(cache, "controlplane", `kubernetes-${v.kubernetes}_etcd-${v.etcd}`);
    mkdirSync(cdir, { recursive: true });
    writeFileSync(join(cdir, "manifest.json"), "{ truncated");
    for (const c of ["etcd", "kube-apiserver", "kube-controller-manager"]) writeFileSync(join(cdir, c), "x");
    const r = cli(["up", "--check"], {
      PATRONUS_BENCH_CACHE: cache,
      KUBEBUILDER_ASSETS: undefined,
      TEST_ASSET_ETCD: undefined,
      TEST_ASSET_KUBE_APISERVER: undefined,
      TEST_ASSET_KUBE_CONTROLLER_MANAGER: undefined,
    });
    assert.equal(r.code, 1);
    assertOneLineError(
      r.stderr,
      /cache at .* is corrupt: manifest\.json is missing or unreadable.*controlplane build --force/,
    );
  });

  describe("with a port taken", () => {
    let server: Server;
    let port: number;
    before(async () => {
      server = createServer();
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      port = (server.address() as { port: number }).port;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it("a port in use is named", () => {
      const r = cli(["up", "--check", "--apiserver-port", String(port)]);
      assert.equal(r.code, 1);
      assertOneLineError(r.stderr, new RegExp(`port ${port} for kube-apiserver is already in use`));
    });
  });

  it("an unreachable kubeconfig names the server", () => {
    const kubeconfig = join(dir, "unreachable.kubeconfig");
    writeFileSync(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}}]",
        "users: [{name: u, user: {token: t}}]",
        "contexts: [{name: x, context: {cluster: c, user: u}}]",
        "current-context: x",
      ].join("\n"),
    );
    const r = cli(["up", "--check", "--cluster", "kubeconfig", "--kubeconfig", kubeconfig]);
    assert.equal(r.code, 1);
    assertOneLineError(r.stderr, /cannot reach the cluster at https:\/\/127\.0\.0\.1:1/);
  });

  it("--debug adds the stack trace", () => {
    const r = cli(["up", "--check", "--debug"], { TEST_ASSET_ETCD: join(dir, "no-such-etcd") });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^\s+at /m);
  });

  it("an invalid flag value names the flag", () => {
    const r = cli(["up", "--check", "--apiserver-port", "http"]);
    assert.equal(r.code, 1);
    assertOneLineError(r.stderr, /invalid --apiserver-port/);
  });
});

/**
 * The embedded control plane really runs and really goes away: after stop — also after an
 * uncaught exception or Ctrl-C in the middle of a run — no process, port or temp dir is left.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { CoreV1Api, VersionApi, Watch } from "@kubernetes/client-node";
import { listeningPorts } from "../../../harness/cluster/embedded/ports.ts";
import { type ClusterHandle, type EmbeddedCluster, startCluster } from "../../../harness/cluster/index.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** A zombie (exited, not yet reaped by an init that may never reap) counts as gone. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

function etcdDirs(): string[] {
  return readdirSync("/dev/shm").filter((n) => n.startsWith("patronus-bench-etcd-"));
}

interface Owned {
  pids: number[];
  ports: number[];
  kubeconfig: string;
  shm: string[];
}

/** Runs the fixture, returns what the cluster owned and how the process ended. */
function runFixture(
  mode: "throw" | "wait",
  signal?: NodeJS.Signals,
): Promise<{ owned: Owned; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, "fixtures/start-then.ts"), mode], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let owned: Owned | undefined;
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (line && !owned) {
        owned = JSON.parse(line) as Owned;
        if (signal) child.kill(signal);
      }
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!owned) reject(new Error(`fixture never reported its cluster (exit ${code}):\n${stderr}`));
      else resolve({ owned, code, stderr });
    });
  });
}

async function assertNothingLeft(owned: Owned): Promise<void> {
  // SIGKILL from an exit hook is asynchronous: give the kernel a moment to tear the processes down.
  const deadline = Date.now() + 3000;
  while (
    Date.now() < deadline &&
    (owned.pids.some(alive) || (await listeningPorts(owned.ports)).length > 0)
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const pid of owned.pids) assert.equal(alive(pid), false, `process ${pid} is still running`);
  assert.deepEqual(await listeningPorts(owned.ports), [], "a port is still listening");
  assert.equal(existsSync(owned.kubeconfig), false, "the run's temp dir is still there");
  for (const d of owned.shm)
    assert.equal(etcdDirs().includes(d), false, `etcd data dir /dev/shm/${d} is still there`);
}

describe("embedded cluster", () => {
  let cluster: ClusterHandle;
  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    await cluster?.stop();
  });

  it("serves the pinned Kubernetes version with RBAC and a working controller manager", async () => {
    const kc = cluster.kubeConfig();
    const v = await kc.makeApiClient(VersionApi).getCode();
    assert.equal(v.gitVersion, cluster.versions.kubernetes);
    assert.match(v.gitVersion, /^v1\.\d+\.\d+$/);
    // The controller manager's serviceaccount controller creates `default` in every namespace.
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: "lifecycle-check" } } });
    const deadline = Date.now() + 30_000;
    let found = false;
    while (!found && Date.now() < deadline) {
      try {
        await core.readNamespacedServiceAccount({ name: "default", namespace: "lifecycle-check" });
        found = true;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.ok(found, "kube-controller-manager did not create the default ServiceAccount");
    assert.ok(cluster.timings.some((t) => t.component === "kube-apiserver"));
    assert.equal(cluster.metadata.etcdFsyncDisabled, true);
  });

  it("restarts etcd and kube-apiserver in place, keeping the data", async () => {
    const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: "survives-restarts" } } });
    const before = cluster.pids();
    await cluster.restartComponent("etcd", 200);
    // An open watch is what kept a stopping apiserver from exiting until it was killed.
    let watchClosed = false;
    const watch = await new Watch(cluster.kubeConfig()).watch(
      "/api/v1/namespaces",
      {},
      () => {},
      () => {
        watchClosed = true;
      },
    );
    await cluster.restartComponent("kube-apiserver");
    watch.abort();
    assert.ok(watchClosed, "the watch was closed by the stopping apiserver");
    const stop = (cluster as EmbeddedCluster).restarts.at(-1);
    assert.equal(stop?.component, "kube-apiserver");
    assert.notEqual(stop?.stopped.signal, "SIGKILL", "kube-apiserver needed SIGKILL to stop");
    const after = cluster.pids();
    assert.notEqual(after.etcd, before.etcd);
    assert.notEqual(after["kube-apiserver"], before["kube-apiserver"]);
    assert.equal(alive(before.etcd!), false);
    const ns = await core.readNamespace({ name: "survives-restarts" });
    assert.equal(ns.metadata?.name, "survives-restarts");
  });

  it("leaves no process, port or temp dir after stop", async () => {
    const c = await startCluster();
    const dataDir = readFileSync(`/proc/${c.pids().etcd}/cmdline`, "utf8")
      .split("\0")
      .find((a) => a.startsWith("--data-dir=/dev/shm/"))
      ?.slice("--data-dir=/dev/shm/".length);
    const owned: Owned = {
      pids: Object.values(c.pids()),
      ports: [Number(new URL(c.endpoints.apiserver).port)],
      kubeconfig: c.kubeconfigPath,
      shm: dataDir ? [dataDir] : [],
    };
    assert.equal(owned.pids.length, 3);
    assert.equal(owned.shm.length, 1, "etcd's data dir is on /dev/shm");
    for (const pid of owned.pids) assert.ok(alive(pid));
    await c.stop();
    await assertNothingLeft(owned);
  });
});

describe("embedded cluster cleanup when the harness fails", () => {
  it("cleans up after an uncaught exception mid-way", async () => {
    const r = await runFixture("throw");
    assert.equal(r.owned.shm.length, 1, "the fixture found its etcd data dir");
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /boom/);
    await assertNothingLeft(r.owned);
  });

  it("cleans up on Ctrl-C (SIGINT) and exits 130", async () => {
    const r = await runFixture("wait", "SIGINT");
    assert.equal(r.owned.shm.length, 1, "the fixture found its etcd data dir");
    assert.equal(r.code, 130);
    await assertNothingLeft(r.owned);
  });
});

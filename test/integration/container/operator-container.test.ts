/**
 * The `container` runtime: the operator image (built here from a locally produced base, no
 * registry) run by testcontainers with a production pod's limits (500m CPU, 256Mi memory) against
 * the real embedded control plane and the real mesh simulator. Docker comes from the running engine
 * or a dockerd this test starts and stops; no reaper container, the test removes its own.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { buildImage } from "../../../harness/cluster/kind/up.ts";
import { ensureDockerEngine } from "../../../harness/container/docker-engine.ts";
import { POD_LIKE_LIMITS } from "../../../harness/container/limits.ts";
import { startMeshContainer } from "../../../harness/container/mesh-container.ts";
import {
  type OperatorContainer,
  OWNER_LABEL,
  removeLeftoverContainers,
  startOperatorContainer,
} from "../../../harness/container/operator-container.ts";
import { startOperatorContainerReplica } from "../../../harness/container/operator-replica.ts";
import { HarnessError } from "../../../harness/errors.ts";
import { computeTunnels, type TopologySite } from "../../../harness/mesh/topology/tunnels.ts";
import { ProcessSet } from "../../../harness/process/supervisor.ts";
import { GROUP, VERSION } from "../../../operator/api/v1alpha1/types.ts";
import { requires } from "../../prerequisites/requires.ts";
import { condition, NS, type OperatorEnv, site, startEnv, waitFor } from "../operator/env.ts";

const IMAGE = "patronus-bench:container-test";
const MiB = 1024 * 1024;

describe("operator in a CPU/memory-limited container (testcontainers)", {
  timeout: 900_000,
  ...requires("docker"),
}, () => {
  const engine = new ProcessSet();
  let env: OperatorEnv;
  let op: OperatorContainer;

  before(async () => {
    const e = await ensureDockerEngine({ processes: engine, logDir: "/tmp" });
    console.log(`docker engine ${e.version}${e.started ? " (started by this test)" : ""}`);
    await removeLeftoverContainers();
    await buildImage(IMAGE, (l) => console.log(l));
    env = await startEnv({ sites: 6, regions: 1, hubsPerRegion: 1, tickMs: 250, linkEventProbability: 0 });
    const tokenFile = join(env.runDir, "patronus-token");
    await writeFile(tokenFile, env.sim.token, { mode: 0o600 });
    op = await startOperatorContainer({
      image: IMAGE,
      kubeconfig: env.saKubeconfig,
      tokenFile,
      patronusUrl: env.sim.url,
      identity: "op-container",
      watchNamespace: NS,
      leaderElect: true,
      args: [],
      logDir: env.runDir,
    });
  });

  after(async () => {
    await op?.stop();
    await env?.stop();
    await engine.stopAll(20_000);
  });

  it("runs under 500m CPU and 256Mi memory: as Docker applied them and as its cgroup shows", async () => {
    assert.deepEqual(op.limits, POD_LIKE_LIMITS);
    const seen = await op.observedLimits();
    assert.equal(seen.docker.nanoCpus, 500_000_000);
    assert.equal(seen.docker.memoryBytes, 256 * MiB);
    assert.equal(seen.cgroup.cpuCores, 0.5, `cgroup ${seen.cgroup.version} CPU quota`);
    assert.equal(seen.cgroup.memoryBytes, 256 * MiB, `cgroup ${seen.cgroup.version} memory limit`);
    assert.equal(seen.uid, 65532, "runs as the image's non-root user");
    // Read from the host: no probe process was charged to the container being measured.
    assert.equal(seen.source, "host");
  });

  it("reconciles smoke's 50 Sites and their Mesh within the limits: all Ready, every Path created, no OOM kill", async () => {
    // The size of the smoke scenario: 2 hubs and 48 branches in one hub-spoke Mesh.
    const labels = { mesh: "c1" };
    const names = ["hub-1", "hub-2", ...Array.from({ length: 48 }, (_, i) => `branch-${i + 1}`)];
    const specs: TopologySite[] = [];
    for (const name of names) {
      const obj = site(name, { hub: name.startsWith("hub-"), labels }) as {
        spec: Omit<TopologySite, "name">;
      };
      specs.push({ name, ...obj.spec });
      await env.objects.create("sites", obj);
    }
    // The shared tunnel rule says how many Paths the Mesh must own.
    const expected = computeTunnels(specs, { kind: "hub-spoke" }).length;
    await env.objects.create("meshes", {
      apiVersion: `${GROUP}/${VERSION}`,
      kind: "Mesh",
      metadata: { name: "c1" },
      spec: { topology: { type: "hub-spoke" }, siteSelector: { matchLabels: labels } },
    });
    await waitFor(
      "50 Sites Ready",
      async () => {
        const sites = await env.objects.list("sites", "mesh=c1");
        return sites.filter((s) => condition(s, "Ready")?.status === "True").length === 50;
      },
      120_000,
      1000,
    );
    const mesh = await waitFor(
      `Mesh c1 Ready with its ${expected} Paths`,
      async () => {
        const m = await env.objects.get("meshes", "c1");
        return condition(m, "Ready")?.status === "True" && m.status.paths === expected ? m : undefined;
      },
      120_000,
      1000,
    );
    assert.equal(mesh.status.sites, 50);
    assert.equal((await env.objects.list("paths", "sdwan.patronus.io/mesh=c1")).length, expected);
    assert.ok(expected > 150, `${expected} tunnels`);
    const metrics = await (await fetch(op.metricsUrl)).text();
    assert.match(metrics, /controller_runtime_reconcile_total\{[^}]*controller="site"/);
    const seen = await op.observedLimits();
    assert.equal(seen.oomKilled, false);
    assert.ok(op.running, "still running under 256Mi");
    console.log(
      `operator container peak memory ${((seen.cgroup.memoryPeakBytes ?? 0) / MiB).toFixed(0)} MiB of ${POD_LIKE_LIMITS.memory}`,
    );
  });

  it("is measured from the host: its PID's RSS stays below the memory limit", async () => {
    assert.ok(op.pid, "host PID of the container's node process");
    const status = await readFile(`/proc/${op.pid}/status`, "utf8");
    const rssKiB = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
    assert.ok(rssKiB > 10 * 1024, `operator RSS ${rssKiB} KiB is a real process`);
    assert.ok(rssKiB * 1024 < 256 * MiB, `operator RSS ${rssKiB} KiB under 256Mi`);
    const cmdline = (await readFile(`/proc/${op.pid}/cmdline`, "utf8")).split("\0");
    assert.ok(cmdline.includes("operator/main.ts"), cmdline.join(" "));
  });

  it("stops on SIGTERM within the grace period and leaves no container behind", async () => {
    const id = op.id;
    await op.stop();
    assert.equal(op.running, false);
    const left = await execa("docker", ["ps", "-aq", "--filter", `label=${OWNER_LABEL}=${process.pid}`]);
    assert.equal(left.stdout.trim(), "", `containers left: ${left.stdout}`);
    const inspect = await execa("docker", ["inspect", id], { reject: false });
    assert.notEqual(inspect.exitCode, 0, "the container was removed");
  });

  it("fails with the build instruction when the image does not exist", async () => {
    await assert.rejects(
      startOperatorContainer({
        image: "patronus-bench:no-such-image",
        kubeconfig: env.saKubeconfig,
        tokenFile: join(env.runDir, "patronus-token"),
        patronusUrl: env.sim.url,
        identity: "op-missing",
        watchNamespace: NS,
        leaderElect: false,
        args: [],
        logDir: env.runDir,
        startTimeoutMs: 20_000,
      }),
      (err: unknown) => err instanceof HarnessError && err.fix?.includes("build-image.sh") === true,
    );
  });

  it("serves the orchestrator's replica interface, with a runtime record for results.json", async () => {
    const replica = await startOperatorContainerReplica(
      {
        kubeconfig: env.saKubeconfig,
        identity: "operator-0-0",
        watchNamespace: NS,
        patronusUrl: env.sim.url,
        tokenFile: join(env.runDir, "patronus-token"),
        runDir: env.runDir,
        leaderElection: { leaseDuration: 4000, renewDeadline: 3000, retryPeriod: 500 },
        concurrency: 2,
        qps: 20,
        burst: 30,
        workqueueQps: 10,
        workqueueBurst: 100,
        extraArgs: [],
      },
      { image: IMAGE },
    );
    try {
      assert.equal(replica.running, true);
      assert.ok(replica.pid);
      assert.equal((await fetch(replica.metricsUrl)).status, 200);
      const record = await replica.record();
      assert.equal(record.runtime, "container");
      assert.deepEqual(record.limits, { cpu: "500m", memory: "256Mi" });
      assert.equal(record.observed.cgroup.cpuCores, 0.5);
      assert.equal(record.observed.cgroup.memoryBytes, 256 * MiB);
      // The flags the orchestrator derives from the scenario reached the process.
      const cmdline = (await readFile(`/proc/${replica.pid}/cmdline`, "utf8")).split("\0");
      assert.deepEqual(
        cmdline.slice(cmdline.indexOf("--concurrency"), cmdline.indexOf("--concurrency") + 2),
        ["--concurrency", "2"],
      );
    } finally {
      await replica.stop();
    }
    assert.equal(replica.running, false);
    // SIGTERM handled by the operator itself: a clean exit, as the process runtime reports it.
    assert.deepEqual(await replica.exited, { code: 0, signal: null, oomKilled: false });
  });

  it("runs the image's second command: the mesh simulator, limited, behind its token", async () => {
    const mesh = await startMeshContainer({
      image: IMAGE,
      tokenFile: join(env.runDir, "patronus-token"),
      args: ["--sites", "10", "--regions", "2", "--hubs-per-region", "1"],
      limits: { cpu: "1", memory: "512Mi" },
    });
    try {
      const health = (await (await fetch(`${mesh.url}/healthz`)).json()) as { status: string };
      assert.equal(health.status, "ok");
      assert.equal((await fetch(`${mesh.url}/api/v1/sites`)).status, 401);
      const authed = await fetch(`${mesh.url}/api/v1/sites`, {
        headers: { authorization: `Bearer ${env.sim.token}` },
      });
      assert.equal(authed.status, 200);
    } finally {
      await mesh.stop();
    }
  });

  it("the image holds the two commands and their dependencies only: no tests, no report or dev packages", async () => {
    const probe = `
      const fs = require("node:fs"), path = require("node:path");
      const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
      const app = walk("/app").filter((f) => !f.startsWith("/app/node_modules/"));
      console.log(JSON.stringify({
        packages: fs.readdirSync("/app/node_modules"),
        tests: app.filter((f) => f.endsWith(".test.ts")).length,
        entries: ["/app/operator/main.ts", "/app/harness/mesh/main.ts"].filter((f) => fs.existsSync(f)).length,
        uid: process.getuid(),
      }));`;
    const r = await execa("docker", ["run", "--rm", IMAGE, "-e", probe]);
    const seen = JSON.parse(r.stdout) as { packages: string[]; tests: number; entries: number; uid: number };
    assert.equal(seen.entries, 2);
    assert.equal(seen.tests, 0);
    assert.equal(seen.uid, 65532);
    for (const absent of [
      "vega",
      "vega-lite",
      "@resvg",
      "autocannon",
      "playwright-core",
      "typescript",
      "node",
      "testcontainers",
    ]) {
      assert.ok(!seen.packages.includes(absent), `${absent} is not in the image`);
    }
    assert.ok(seen.packages.includes("@kubernetes") && seen.packages.includes("zod"));
  });
});

/**
 * `patronus-bench run smoke --runtime container` end to end: the real embedded control plane,
 * the operator in a container of the project image limited to 500m CPU / 256Mi and the mesh
 * simulator in one too, through the CLI as a user runs it. The image is built offline the way CI
 * builds it (ci/container/build-image.sh on the locally assembled base; a no-op when the tag
 * already holds these sources); dockerd is started when none runs. Also: a missing engine, a
 * missing image and a stale image fail before anything starts, and Ctrl-C leaves no container.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { execa, type ResultPromise } from "execa";
import { buildImage } from "../../../harness/cluster/kind/up.ts";
import { ensureDockerEngine } from "../../../harness/container/docker-engine.ts";
import { OWNER_LABEL } from "../../../harness/container/operator-container.ts";
import { ProcessSet } from "../../../harness/process/supervisor.ts";
import { loadResults } from "../../../harness/results/load.ts";
import { requires } from "../../prerequisites/requires.ts";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const CLI = join(ROOT, "harness", "cli", "main.ts");
const IMAGE = "patronus-bench:container-test";
const MiB = 1024 * 1024;

/** run.cluster.knobs.operatorRuntime / meshRuntime as harness/run/system/container-record.ts writes them. */
interface RuntimeKnob {
  runtime: string;
  image: string;
  imageId: string;
  network: string;
  limits: { cpu: string; memory: string };
  observed: {
    docker: { nanoCpus: number; memoryBytes: number };
    cgroup: { cpuCores: number; memoryBytes: number };
    uid: number;
  };
  replicas: Array<{ cgroup: { memoryPeakBytes: number; cpuPeriods: number } }>;
}

function run(args: string[], env: Record<string, string> = {}): ResultPromise<{ reject: false; all: true }> {
  return execa(process.execPath, [CLI, "run", ...args], {
    cwd: ROOT,
    reject: false,
    all: true,
    timeout: 180_000,
    env: { CI: "1", ...env },
  });
}

/** `run smoke` with the operator (and, given its image, the simulator) in containers. */
function runSmokeInContainers(
  out: string,
  images: { operator: string; mesh?: string },
  extra: string[] = [],
): ResultPromise<{ reject: false; all: true }> {
  const mesh = images.mesh ? ["--mesh-runtime", "container", "--set", `mesh.image=${images.mesh}`] : [];
  return run([
    "smoke",
    "--runtime",
    "container",
    "--set",
    `operator.image=${images.operator}`,
    ...mesh,
    ...extra,
    "--out",
    out,
    "--no-report",
  ]);
}

async function containersOf(pid: number | undefined): Promise<string> {
  assert.ok(pid, "the CLI process has a pid");
  const ps = await execa("docker", ["ps", "-aq", "--filter", `label=${OWNER_LABEL}=${pid}`]);
  return ps.stdout.trim();
}

/** The first line the CLI printed as its error (the user-facing message). */
function errorLine(all: string | undefined): string {
  return (all ?? "").split("\n").find((l) => /^error:/i.test(l)) ?? (all ?? "").slice(-800);
}

describe("run --runtime container", { concurrency: false, timeout: 600_000, ...requires("docker") }, () => {
  const engine = new ProcessSet();

  before(async () => {
    const e = await ensureDockerEngine({ processes: engine, logDir: tmpdir() });
    console.log(`docker engine ${e.version}${e.started ? " (started by this test)" : ""}`);
    await buildImage(IMAGE, (l) => console.log(l));
  });

  after(async () => {
    await engine.stopAll(20_000);
  });

  it("runs smoke with the operator under 500m/256Mi and the simulator under 1/512Mi: exit 0, full coverage, limits in results.json", {
    timeout: 240_000,
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), "run-container-"));
    // This test is about the runtime, not about speed on a loaded machine: the correctness gates
    // stay (plus no OOM kill), the scenario's latency and load-driver figures do not decide it.
    const child = runSmokeInContainers(out, { operator: IMAGE, mesh: IMAGE }, [
      "--set",
      'mesh.resources={"cpu":"1","memory":"512Mi"}',
      "--set",
      'thresholds={"lost_updates":["count==0"],"operator_oom_kills":["count==0"]}',
    ]);
    const res = await child;
    assert.equal(res.exitCode, 0, `exit ${res.exitCode}\n${(res.all ?? "").slice(-4000)}`);
    assert.match(res.all ?? "", /operator patronus-bench:container-test limited to 500m CPU \/ 256Mi/);
    const results = await loadResults(join(out, "results.json"));
    assert.equal(results.verdict, "pass");
    assert.ok(results.coverage.expected >= 50, `${results.coverage.expected} objects expected`);
    assert.equal(results.coverage.observed, results.coverage.expected, "100 % coverage");
    assert.deepEqual(results.metrics.coverage_ratio, { type: "gauge", unit: "ratio", value: 1 });
    assert.deepEqual(results.metrics.operator_oom_kills, { type: "counter", unit: "count", value: 0 });

    // The limits as asked, as Docker applied them, and as the operator's cgroup enforced them.
    const knobs = results.run.cluster.knobs as { operatorRuntime: RuntimeKnob; meshRuntime: RuntimeKnob };
    const op = knobs.operatorRuntime;
    assert.equal(op.runtime, "container");
    assert.equal(op.image, IMAGE);
    assert.match(op.imageId, /^sha256:/);
    assert.equal(op.network, "host");
    assert.deepEqual(op.limits, { cpu: "500m", memory: "256Mi" });
    assert.deepEqual(op.observed.docker, { nanoCpus: 500_000_000, memoryBytes: 256 * MiB });
    assert.equal(op.observed.cgroup.cpuCores, 0.5);
    assert.equal(op.observed.cgroup.memoryBytes, 256 * MiB);
    assert.equal(op.observed.uid, 65532, "the image's non-root user");
    assert.equal(op.replicas.length, 1);
    const cgroup = op.replicas[0]?.cgroup;
    assert.ok(cgroup, "the replica's cgroup was read");
    assert.ok(
      cgroup.memoryPeakBytes > 10 * MiB && cgroup.memoryPeakBytes <= 256 * MiB,
      `peak ${cgroup.memoryPeakBytes}`,
    );
    assert.ok(cgroup.cpuPeriods > 0, "the CPU quota was accounted");
    assert.deepEqual(results.metrics.operator_cpu_limit_cores, { type: "gauge", unit: "cores", value: 0.5 });
    assert.deepEqual(results.metrics.operator_memory_limit_bytes, {
      type: "gauge",
      unit: "bytes",
      value: 256 * MiB,
    });
    const mesh = knobs.meshRuntime;
    assert.deepEqual(mesh.limits, { cpu: "1", memory: "512Mi" });
    assert.equal(mesh.observed.cgroup.cpuCores, 1);
    assert.equal(mesh.observed.cgroup.memoryBytes, 512 * MiB);
    assert.equal((results.run.definition.operator as { runtime: string }).runtime, "container");

    // What the process runtime measures is measured here too, from the containers' host PIDs.
    for (const name of ["operator_cpu_cores", "operator_rss_bytes", "mesh_cpu_cores", "workqueue_depth"]) {
      const m = results.metrics[name];
      assert.ok(m?.type === "series" && m.points.length > 0, `${name} has points`);
    }
    const rss = results.metrics.operator_rss_bytes;
    assert.ok(
      rss?.type === "series" && Math.max(...rss.points.map((p) => p[1])) < 256 * MiB,
      "RSS under the limit",
    );
    assert.ok(results.checkpoints.some((c) => c.objects === 50 && (c.operator_rss_bytes ?? 0) > 0));
    assert.match(readFileSync(join(out, "operator-0-0.log"), "utf8"), /metrics server listening/);
    assert.equal(await containersOf(child.pid), "", "no container left");
  });

  it("Ctrl-C during a run removes the operator and simulator containers", { timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "run-container-int-"));
    const child = runSmokeInContainers(out, { operator: IMAGE, mesh: IMAGE });
    let output = "";
    const started = new Promise<void>((resolveStarted) => {
      child.all?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("phase create-sites")) resolveStarted();
      });
    });
    await Promise.race([
      started,
      child.then(() => assert.fail(`the run ended early:\n${output.slice(-3000)}`)),
    ]);
    const ids = await containersOf(child.pid);
    assert.equal(ids.split("\n").length, 2, `operator and simulator containers run: ${ids}`);
    child.kill("SIGINT");
    const res = await child;
    assert.equal(res.exitCode, 130, `exit ${res.exitCode}\n${output.slice(-2000)}`);
    assert.equal(await containersOf(child.pid), "", "no container left after Ctrl-C");
  });

  it("fails before starting anything when no Docker engine answers", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "no-docker-"));
    const socket = join(dir, "docker.sock");
    const child = run(["smoke", "--runtime", "container", "--out", dir, "--no-report"], {
      DOCKER_HOST: `unix://${socket}`,
    });
    const res = await child;
    assert.equal(res.exitCode, 1, res.all);
    assert.match(errorLine(res.all), new RegExp(`no Docker engine answers at unix://${socket}`));
    assert.match(res.all ?? "", /ensure-dockerd\.sh/);
    assert.doesNotMatch(res.all ?? "", /starting embedded cluster/);
    // Asked of the real engine: nothing was created through any other socket either.
    assert.equal(await containersOf(child.pid), "");
  });

  it("fails before starting anything when the image is missing, naming the build command", {
    timeout: 60_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "no-image-"));
    const child = runSmokeInContainers(dir, { operator: "patronus-bench:no-such-image" });
    const res = await child;
    assert.equal(res.exitCode, 1, res.all);
    assert.match(errorLine(res.all), /image patronus-bench:no-such-image is not in the Docker engine/);
    assert.match(res.all ?? "", /ci\/container\/build-image\.sh patronus-bench:no-such-image/);
    assert.doesNotMatch(res.all ?? "", /starting embedded cluster/);
    assert.equal(await containersOf(child.pid), "");
  });

  it("refuses an image built from other sources than the checkout", { timeout: 60_000 }, async () => {
    const stale = "patronus-bench:container-test-stale";
    // The test image with another source digest: what an image built before a code change carries.
    await execa("docker", ["build", "-q", "-t", stale, "-"], {
      input: `FROM ${IMAGE}\nLABEL io.patronus-bench.source-digest=sha256:${"0".repeat(64)}\n`,
    });
    try {
      const dir = mkdtempSync(join(tmpdir(), "stale-image-"));
      const res = await runSmokeInContainers(dir, { operator: stale });
      assert.equal(res.exitCode, 1, res.all);
      assert.match(errorLine(res.all), /does not hold this checkout's operator and simulator/);
      assert.match(res.all ?? "", new RegExp(`rebuild it: ci/container/build-image.sh ${stale}`));
    } finally {
      await execa("docker", ["rmi", stale], { reject: false });
    }
  });
});

/**
 * The upstream operator (patronus-rs) in a container: `run smoke --operator patronus-rs
 * --runtime container` builds its image from the cached cargo build when the engine has none
 * for this source (its binary on the project's offline base, labelled with the source digest),
 * starts the binary in it under a pod's limits, and ends with a verdict that accounts for every
 * object. results.json names the operator, the container runtime and the image built from this
 * source; no container is left behind.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { ensureDockerEngine } from "../../../harness/container/docker-engine.ts";
import { SOURCE_DIGEST_LABEL } from "../../../harness/container/image/source-digest.ts";
import { OWNER_LABEL } from "../../../harness/container/operator-container.ts";
import patronusRs from "../../../harness/operators/builtin/patronus-rs/index.ts";
import { ProcessSet } from "../../../harness/process/supervisor.ts";
import { loadResults } from "../../../harness/results/load.ts";
import { requires } from "../../prerequisites/requires.ts";
import { runPatronusRsSmoke } from "./patronus-rs-run.ts";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const _CLI = join(ROOT, "harness", "cli", "main.ts");
const IMAGE = patronusRs.image?.name ?? "";

/** run.cluster.knobs.operatorRuntime as harness/run/system/container-record.ts writes it. */
interface RuntimeKnob {
  runtime: string;
  image: string;
  imageId: string;
  sourceDigest: string;
  limits: { cpu: string; memory: string };
  observed: { cgroup: { cpuCores: number; memoryBytes: number }; uid: number };
  replicas: Array<{ cgroup: { cpuPeriods: number } }>;
}

describe("patronus-rs in a container", { timeout: 900_000, ...requires("docker", "patronus-rs") }, () => {
  const engine = new ProcessSet();

  before(async () => {
    await ensureDockerEngine({ processes: engine, logDir: tmpdir() });
    // The run must build the image itself: none is left from an earlier run.
    await execa("docker", ["rmi", "-f", IMAGE], { reject: false });
  });

  after(async () => {
    await engine.stopAll(20_000);
  });

  it("builds its image and runs smoke to a verdict with the operator in the container", async () => {
    assert.ok(IMAGE, "the patronus-rs definition declares an image");
    const out = mkdtempSync(join(tmpdir(), "prs-container-"));
    const { res, said, pid } = await runPatronusRsSmoke(out, ["--runtime", "container", "--no-report"], {
      timeout: 880_000,
    });
    assert.match(res.all ?? "", new RegExp(`building image ${IMAGE} of operator patronus-rs`), said);
    assert.match(res.all ?? "", new RegExp(`operator ${IMAGE} limited to 500m CPU / 256Mi`), said);

    const results = await loadResults(join(out, "results.json"));
    assert.equal(results.run.operator.name, "patronus-rs");
    const digest = results.run.operator.source?.digest ?? "";
    assert.match(digest, /^[0-9a-f]{64}$/);
    const op = (results.run.cluster.knobs as { operatorRuntime: RuntimeKnob }).operatorRuntime;
    assert.equal(op.runtime, "container");
    assert.equal(op.image, IMAGE);
    assert.equal(op.sourceDigest, `sha256:${digest}`, "the image holds the binary of this source");
    assert.deepEqual(op.limits, { cpu: "500m", memory: "256Mi" });
    assert.equal(op.observed.cgroup.cpuCores, 0.5);
    assert.equal(op.observed.uid, 65532, "the base image's non-root user");
    assert.ok((op.replicas[0]?.cgroup.cpuPeriods ?? 0) > 0, "the operator ran under the CPU quota");
    // Every object the run created was watched to an outcome: Ready, Failed or timed out.
    assert.ok(results.coverage.expected > 0);
    assert.equal(results.coverage.observed, results.coverage.expected, said);
    // Its own log, as a process writes it: tracing's text lines.
    assert.match(readFileSync(join(out, "operator-0-0.log"), "utf8"), /Starting Patronus SD-WAN Operator/);

    const label = await execa("docker", [
      "image",
      "inspect",
      "-f",
      `{{index .Config.Labels "${SOURCE_DIGEST_LABEL}"}}`,
      IMAGE,
    ]);
    assert.equal(label.stdout.trim(), `sha256:${digest}`);
    const left = await execa("docker", ["ps", "-aq", "--filter", `label=${OWNER_LABEL}=${pid}`]);
    assert.equal(left.stdout.trim(), "", "no container left");
  });
});

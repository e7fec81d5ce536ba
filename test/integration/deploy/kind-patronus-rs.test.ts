/**
 * The upstream operator (patronus-rs) on a real kind cluster: `run smoke --operator patronus-rs
 * --cluster kind --runtime cluster` creates the cluster (the node image built here), puts the
 * operator's image (its cargo-built binary on the offline base) and the project image on the
 * nodes, deploys the simulator speaking the operator's dialect, installs the operator with the
 * upstream's own Helm chart by a real helm, ends with a verdict that accounts for every object,
 * and deletes the cluster it created.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { LOCAL_NODE_IMAGE } from "../../../harness/cluster/kind/kind-cli.ts";
import patronusRs from "../../../harness/operators/builtin/patronus-rs/index.ts";
import { REPO_ROOT } from "../../../harness/paths.ts";
import { ProcessSet } from "../../../harness/process/supervisor.ts";
import { loadResults } from "../../../harness/results/load.ts";
import { upstreamOperatorSource } from "../../prerequisites/prerequisites.ts";
import { requires } from "../../prerequisites/requires.ts";
import { runPatronusRsSmoke } from "../operators/patronus-rs-run.ts";
import { prepareKindTests } from "./kind-test-setup.ts";

const _CLI = join(REPO_ROOT, "harness", "cli", "main.ts");
const NAME = `pb-kind-prs-${process.pid}`;

/** run.cluster.knobs.operatorRuntime as harness/run/system/in-cluster writes it. */
interface ClusterKnob {
  runtime: string;
  operator: {
    helm: { chart: string; release: string; values: string };
    image: string;
    sourceDigest: string;
    replicas: number;
  };
  pods: Array<{ pod: string }>;
}

describe("patronus-rs on a kind cluster, installed with its own chart", {
  timeout: 3_600_000,
  ...requires("docker", "kind", "helm", "patronus-rs"),
}, () => {
  const engine = new ProcessSet();
  let dir: string;
  let kind: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "kind-prs-"));
    kind = await prepareKindTests(engine, dir);
  });

  after(async () => {
    if (kind) await execa(kind, ["delete", "cluster", "--name", NAME], { reject: false });
    await engine.stopAll(20_000);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs smoke to a verdict with the operator's pods from its chart", { timeout: 1_800_000 }, async () => {
    const out = join(dir, "smoke");
    const { res, said } = await runPatronusRsSmoke(
      out,
      ["--cluster", "kind", "--runtime", "cluster", "--no-report"],
      {
        timeout: 1_700_000,
        env: {
          KIND_CLUSTER_NAME: NAME,
          KIND_NODE_IMAGE: LOCAL_NODE_IMAGE,
          PATH: `${dirname(kind)}:${process.env.PATH}`,
        },
      },
    );
    assert.match(res.all ?? "", /helm upgrade --install patronus-rs .*helm\/patronus-operator/, said);

    const results = await loadResults(join(out, "results.json"));
    assert.equal(results.run.operator.name, "patronus-rs");
    assert.equal(results.run.cluster.provider, "kind");
    const digest = results.run.operator.source?.digest ?? "";
    const op = (results.run.cluster.knobs as { operatorRuntime: ClusterKnob }).operatorRuntime;
    assert.equal(op.runtime, "cluster");
    assert.equal(op.operator.helm.release, "patronus-rs");
    assert.equal(op.operator.helm.chart, resolve(upstreamOperatorSource(), "helm", "patronus-operator"));
    assert.equal(op.operator.image, patronusRs.image?.name);
    assert.equal(op.operator.sourceDigest, `sha256:${digest}`);
    assert.ok(op.pods.length >= 1, "the chart's pods were followed");
    // The values the harness gave the chart: the image on the nodes, the in-cluster simulator.
    const values = await readFile(op.operator.helm.values, "utf8");
    assert.match(values, /pullPolicy: Never/);
    assert.match(values, /apiUrl: http:\/\/patronus-mesh\.patronus-system\.svc:\d+/);
    // Every object the run created was watched to an outcome, and the operator did reach the simulator.
    assert.ok(results.coverage.expected > 0);
    assert.equal(results.coverage.observed, results.coverage.expected, said);
    const ready = results.metrics.site_ready_latency;
    assert.ok(ready?.type === "distribution" && ready.count > 0, "Sites became Ready in the cluster");
    assert.ok(!(await execa(kind, ["get", "clusters"])).stdout.split("\n").includes(NAME), "cluster deleted");
  });
});

/**
 * The kind provider's edges, with real kind (built from source by ci/kind/install-kind.sh) and
 * real Docker but no node image: kind validates kind-config.yaml up to the node-image step and
 * rejects a broken config; the provider stops with a clear error naming a missing image before
 * anything is created, cleans up its scratch dir, and reports a bad config with the field's path.
 * A real cluster from the node image built here: kind-cluster.test.ts.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { startCluster } from "../../../harness/cluster/index.ts";
import { deleteKindCluster, KindCluster } from "../../../harness/cluster/kind/cluster.ts";
import { KIND_CONFIG_PATH } from "../../../harness/cluster/kind/config.ts";
import { KIND_VERSION, kindCli } from "../../../harness/cluster/kind/kind-cli.ts";
import { ensureDockerEngine } from "../../../harness/container/docker-engine.ts";
import { HarnessError } from "../../../harness/errors.ts";
import { REPO_ROOT } from "../../../harness/paths.ts";
import { ProcessSet } from "../../../harness/process/supervisor.ts";
import { requires } from "../../prerequisites/requires.ts";

const NAME = `pb-kind-check-${process.pid}`;
const ABSENT_IMAGE = `patronus-bench/kind-node:absent-${process.pid}`;

async function kindNodes(name: string): Promise<string> {
  const r = await execa("docker", ["ps", "-aq", "--filter", `label=io.x-k8s.kind.cluster=${name}`]);
  return r.stdout.trim();
}

describe("kind provider (real kind and Docker, no node image)", {
  timeout: 600_000,
  ...requires("docker", "kind"),
}, () => {
  const engine = new ProcessSet();
  let dir: string;
  let kind: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "kind-it-"));
    // Builds kind through the Go module proxy when it is not there yet.
    const r = await execa(join(REPO_ROOT, "ci", "kind", "install-kind.sh"), { all: true, reject: false });
    assert.equal(r.exitCode, 0, `install-kind.sh: ${r.all}`);
    kind = r.stdout.trim().split("\n").at(-1) ?? "";
    process.env.PATH = `${dirname(kind)}:${process.env.PATH}`;
    await ensureDockerEngine({ processes: engine, logDir: dir });
  });

  after(async () => {
    await execa(kind, ["delete", "cluster", "--name", NAME], { reject: false });
    await engine.stopAll(20_000);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`kind ${KIND_VERSION} is found and lists clusters`, async () => {
    const cli = await kindCli();
    assert.equal(cli.version, KIND_VERSION);
    assert.ok(!(await cli.clusters()).includes(NAME));
  });

  it("real kind accepts kind-config.yaml: `create cluster` gets past config validation to the node image", async () => {
    const r = await execa(
      kind,
      ["create", "cluster", "--config", KIND_CONFIG_PATH, "--name", NAME, "--image", ABSENT_IMAGE],
      {
        reject: false,
        all: true,
        timeout: 120_000,
      },
    );
    const out = r.all ?? "";
    assert.equal(r.exitCode, 1, out);
    assert.doesNotMatch(out, /unable to decode config|invalid configuration|must have at least/i);
    assert.match(out, /Ensuring node image/);
    assert.match(out, new RegExp(`failed to pull image "${ABSENT_IMAGE}"`));
    assert.equal(await kindNodes(NAME), "", "no node container was created");
  });

  it("real kind rejects a config with a misspelt field", async () => {
    const bad = join(dir, "bad-kind.yaml");
    await writeFile(
      bad,
      "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n    extraPortMapping: []\n",
    );
    const r = await execa(
      kind,
      ["create", "cluster", "--config", bad, "--name", NAME, "--image", ABSENT_IMAGE],
      {
        reject: false,
        all: true,
      },
    );
    assert.equal(r.exitCode, 1);
    assert.match(r.all ?? "", /unable to decode config[\s\S]*extraPortMapping not found/);
  });

  it("the provider stops before creating anything when the node image is missing, naming it and the fix", async () => {
    await assert.rejects(
      KindCluster.start({ runDir: dir, name: NAME, nodeImage: ABSENT_IMAGE }),
      (err: unknown) =>
        err instanceof HarnessError &&
        err.message.includes(ABSENT_IMAGE) &&
        /docker load|KIND_NODE_IMAGE/.test(err.fix ?? ""),
    );
    assert.equal(await kindNodes(NAME), "");
  });

  it("startCluster removes the scratch dir it made when the kind cluster cannot start", async () => {
    const scratch = async () =>
      (await readdir(tmpdir())).filter((n) => n.startsWith("patronus-bench-")).sort();
    const before = await scratch();
    const saved = process.env.KIND_NODE_IMAGE;
    process.env.KIND_NODE_IMAGE = ABSENT_IMAGE;
    try {
      await assert.rejects(startCluster({ provider: "kind" }), (err: unknown) => err instanceof HarnessError);
    } finally {
      if (saved === undefined) delete process.env.KIND_NODE_IMAGE;
      else process.env.KIND_NODE_IMAGE = saved;
    }
    const left = (await scratch()).filter((n) => !before.includes(n));
    assert.deepEqual(left, [], "a scratch dir was left in the temp dir");
  });

  it("the provider reports a broken kind config with the field's path before calling kind", async () => {
    const bad = join(dir, "bad-kind.yaml");
    await writeFile(
      bad,
      "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: x\nnodes:\n  - role: master\n",
    );
    await assert.rejects(KindCluster.start({ runDir: dir, configPath: bad }), /nodes\.0\.role/);
  });

  it("down on a cluster that does not exist says so instead of failing", async () => {
    assert.equal(await deleteKindCluster(NAME), false);
  });
});

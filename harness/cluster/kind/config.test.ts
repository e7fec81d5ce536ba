import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { HarnessError } from "../../errors.ts";
import { KIND_CONFIG_PATH, kindConfigFacts, loadKindConfig, parseKindConfig } from "./config.ts";

describe("kind-config.yaml", () => {
  it("is one control plane and two workers, named for reuse", async () => {
    const facts = kindConfigFacts(await loadKindConfig());
    assert.equal(facts.name, "patronus-bench");
    assert.equal(facts.controlPlanes, 1);
    assert.equal(facts.workers, 2);
  });

  it("raises the apiserver in-flight limits above the defaults (400/200)", async () => {
    const { apiserverArgs } = kindConfigFacts(await loadKindConfig());
    assert.ok(Number(apiserverArgs["max-requests-inflight"]) > 400);
    assert.ok(Number(apiserverArgs["max-mutating-requests-inflight"]) > 200);
    // A map of strings: kubeadm v1beta3's form, which kind also converts into v1beta4's list.
    for (const [k, v] of Object.entries(apiserverArgs)) assert.equal(typeof v, "string", k);
  });

  it("sets failCgroupV1: false for every kubelet (cgroup v1 hosts, Kubernetes ≥ 1.35)", async () => {
    const config = await loadKindConfig();
    assert.equal(kindConfigFacts(config).failCgroupV1, false);
    const kubelet = config.patches.find((p) => p.patch.kind === "KubeletConfiguration");
    assert.equal(kubelet?.where.startsWith("cluster."), true, "cluster-wide, not one node's");
  });

  it("maps etcd metrics to a loopback host port kind picks, listened on beyond the node's loopback", async () => {
    const facts = kindConfigFacts(await loadKindConfig());
    // A fixed host port would stop a second cluster (or any process holding it) from starting.
    assert.deepEqual(facts.etcdMetricsMapping, { listenAddress: "127.0.0.1", hostPort: 0 });
    assert.equal(facts.etcdArgs["listen-metrics-urls"], "http://0.0.0.0:2381");
  });

  it("comments every choice", async () => {
    const lines = (await readFile(KIND_CONFIG_PATH, "utf8")).split("\n");
    // Each setting line that is not a list item/structure opener has a comment within 4 lines above.
    const settings = [
      "max-requests-inflight",
      "kube-api-qps",
      "failCgroupV1",
      "extraPortMappings",
      "apiServerPort",
      "quota-backend-bytes",
      "listen-metrics-urls",
    ];
    for (const s of settings) {
      const at = lines.findIndex((l) => l.trimStart().startsWith(`${s}:`));
      assert.ok(at > 0, `${s} present`);
      const above = lines.slice(Math.max(0, at - 4), at);
      assert.ok(
        above.some((l) => l.trimStart().startsWith("#")),
        `${s} has a comment`,
      );
    }
  });

  it("rejects a misspelt field and a patch without kind, naming where", () => {
    assert.throws(
      () =>
        parseKindConfig(
          "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: x\nnodes:\n  - role: worker\n    extraPortMapping: []\n",
        ),
      (e: unknown) =>
        e instanceof HarnessError && /nodes\.0: Unrecognized key: "extraPortMapping"/.test(e.message),
    );
    assert.throws(
      () =>
        parseKindConfig(
          "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: x\nnodes:\n  - role: control-plane\n    kubeadmConfigPatches: ['apiServer: {}']\n",
        ),
      /nodes\[0\]\.kubeadmConfigPatches\[0\] lacks a kind/,
    );
  });
});

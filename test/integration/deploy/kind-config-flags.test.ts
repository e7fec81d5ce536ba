/**
 * The flag names in kind-config.yaml's kubeadm patches, checked against the real kube-apiserver,
 * kube-controller-manager and etcd binaries of the embedded control plane (the same Kubernetes
 * source as the node image of ci/kind/node-image), and the kubelet patch strict-decoded into the
 * kubelet's own KubeletConfiguration type (k8s.io/kubelet, harness/cluster/kind/kubelet-check) —
 * a precise message in seconds, before kind-cluster.test.ts brings a real cluster up from the file.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { stringify } from "yaml";
import { type Component, locateBinaries } from "../../../harness/cluster/embedded/binaries.ts";
import { loadKindConfig } from "../../../harness/cluster/kind/config.ts";
import { REPO_ROOT } from "../../../harness/paths.ts";

const KUBELET_CHECK = join(REPO_ROOT, "harness", "cluster", "kind", "kubelet-check");

async function decodeKubelet(yaml: string) {
  const go = await execa("go", ["version"], { reject: false });
  assert.equal(go.exitCode, 0, "Go is needed to build the kubelet config check — install Go ≥ 1.26");
  return execa("go", ["run", "."], {
    cwd: KUBELET_CHECK,
    input: yaml,
    reject: false,
    all: true,
    env: { GOFLAGS: "-mod=mod" },
  });
}

async function flagsOf(component: Component): Promise<Set<string>> {
  const located = locateBinaries();
  const path = located.found[component]?.path;
  assert.ok(path, `${component} binary missing — run: node harness/cli/main.ts controlplane ensure`);
  const r = await execa(path, ["--help"], { reject: false, all: true });
  return new Set([...(r.all ?? "").matchAll(/^\s+--([a-z0-9-]+)/gm)].map((m) => m[1] ?? ""));
}

describe("kind-config.yaml kubeadm patches checked against the real components", () => {
  it("apiServer, controllerManager and etcd extraArgs are flags of the real binaries", async () => {
    const config = await loadKindConfig();
    const cluster = config.patches.find((p) => p.patch.kind === "ClusterConfiguration")?.patch as {
      apiServer?: { extraArgs?: Record<string, string> };
      controllerManager?: { extraArgs?: Record<string, string> };
      etcd?: { local?: { extraArgs?: Record<string, string> } };
    };
    const sections: [Component, Record<string, string> | undefined][] = [
      ["kube-apiserver", cluster.apiServer?.extraArgs],
      ["kube-controller-manager", cluster.controllerManager?.extraArgs],
      ["etcd", cluster.etcd?.local?.extraArgs],
    ];
    let checked = 0;
    for (const [component, args] of sections) {
      assert.ok(args && Object.keys(args).length > 0, `${component} has extraArgs`);
      const flags = await flagsOf(component);
      assert.ok(flags.size > 20, `${component} --help listed its flags`);
      for (const name of Object.keys(args)) {
        assert.ok(flags.has(name), `${component} has no --${name}`);
        checked++;
      }
    }
    assert.ok(!(await flagsOf("kube-apiserver")).has("max-requests-in-flight"), "a misspelling is caught");
    assert.equal(checked, 7);
  });

  it("the kubelet patch is a valid KubeletConfiguration with failCgroupV1: false", {
    timeout: 300_000,
  }, async () => {
    const config = await loadKindConfig();
    const kubelet = config.patches.find((p) => p.patch.kind === "KubeletConfiguration")?.patch;
    assert.ok(kubelet);
    const ok = await decodeKubelet(stringify({ apiVersion: "kubelet.config.k8s.io/v1beta1", ...kubelet }));
    assert.equal(ok.exitCode, 0, ok.all);
    assert.deepEqual(JSON.parse(ok.stdout), { failCgroupV1: false });
    const typo = await decodeKubelet("kind: KubeletConfiguration\nfailCgroupv1: false\n");
    assert.equal(typo.exitCode, 1);
    assert.match(typo.all ?? "", /unknown field "failCgroupv1"/);
  });
});

/**
 * The kubeconfig provider drives any existing cluster: here the embedded one, reached only
 * through its admin kubeconfig, exactly as a user's cluster would be.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { type ClusterHandle, startCluster } from "../../../harness/cluster/index.ts";
import { installAccess, installCrds, referenceInstall } from "../../../harness/operators/install/index.ts";

describe("kubeconfig provider", () => {
  let embedded: ClusterHandle;
  let existing: ClusterHandle;
  before(async () => {
    embedded = await startCluster();
    existing = await startCluster({ provider: "kubeconfig", kubeconfig: embedded.kubeconfigPath });
  });
  after(async () => {
    await existing?.stop();
    await embedded?.stop();
  });

  it("reports the cluster's version and installs the CRDs and RBAC", async () => {
    assert.equal(existing.provider, "kubeconfig");
    assert.equal(existing.versions.kubernetes, embedded.versions.kubernetes);
    await installCrds(existing.kubeConfig(), await referenceInstall());
    await installAccess(existing.kubeConfig(), await referenceInstall());
  });

  it("issues a ServiceAccount kubeconfig that RBAC scopes to the operator's role", async () => {
    const path = await existing.serviceAccountKubeconfig("patronus-system", "patronus-operator");
    assert.ok(existsSync(path));
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    const api = kc.makeApiClient(CustomObjectsApi);
    const list = await api.listClusterCustomObject({
      group: "sdwan.patronus.io",
      version: "v1alpha1",
      plural: "sites",
    });
    assert.ok(Array.isArray((list as { items: unknown[] }).items));
    await assert.rejects(
      api.createNamespacedCustomObject({
        group: "sdwan.patronus.io",
        version: "v1alpha1",
        namespace: "default",
        plural: "sites",
        body: {
          apiVersion: "sdwan.patronus.io/v1alpha1",
          kind: "Site",
          metadata: { name: "not-allowed" },
          spec: {
            region: "eu",
            hub: false,
            links: [{ name: "m1", type: "mpls", bandwidthMbps: 10, cost: 1 }],
          },
        },
      }),
      (err: { code?: number }) => err.code === 403,
    );
  });

  it("refuses control-plane restarts with a fix", async () => {
    await assert.rejects(existing.restartComponent("etcd"), /needs a cluster the harness runs/);
  });

  it("never stops a cluster it did not start, and removes its own scratch dir", async () => {
    const saKubeconfig = await existing.serviceAccountKubeconfig("patronus-system", "patronus-operator");
    await existing.stop();
    assert.equal(existsSync(saKubeconfig), false, "the ServiceAccount kubeconfig outlived stop()");
    const kc = embedded.kubeConfig();
    const api = kc.makeApiClient(CustomObjectsApi);
    await api.listClusterCustomObject({ group: "sdwan.patronus.io", version: "v1alpha1", plural: "sites" });
  });
});

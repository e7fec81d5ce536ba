/**
 * The generated manifests judged by the real embedded apiserver: a server-side dry run of every
 * object passes and persists nothing, the pod templates pass the restricted Pod Security Standard
 * the generated namespace enforces, the dry run does reject what is invalid, and the kubeconfig
 * the operator pod gets (tokenFile auth provider) authenticates as its ServiceAccount.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  type KubernetesObject,
  type V1Deployment,
  type V1Pod,
} from "@kubernetes/client-node";
import { type ClusterHandle, startCluster } from "../../../harness/cluster/index.ts";
import { applyObjects } from "../../../harness/cluster/manifests.ts";
import { deployWorkloads } from "../../../harness/deploy/apply.ts";
import { generateManifests } from "../../../harness/deploy/index.ts";
import { inClusterKubeconfig } from "../../../harness/deploy/objects.ts";
import { HarnessError } from "../../../harness/errors.ts";
import { installCrds, referenceInstall } from "../../../harness/operators/install/index.ts";

const NS = "deploy-dry-run";

function podFrom(d: V1Deployment, name: string): V1Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: d.metadata?.namespace, labels: d.spec?.template.metadata?.labels },
    spec: structuredClone(d.spec?.template.spec),
  } as V1Pod;
}

describe("generated manifests against the embedded apiserver (server-side dry run)", () => {
  let runDir: string;
  let cluster: ClusterHandle;
  let kc: KubeConfig;
  let objects: KubernetesObject[];

  before(async () => {
    runDir = await mkdtemp(join(tmpdir(), "deploy-it-"));
    cluster = await startCluster({ runDir });
    kc = cluster.kubeConfig();
    ({ objects } = await generateManifests({ image: "patronus-bench:test", namespace: NS }));
    // Namespaced objects cannot be dry-run into a namespace that does not exist: create only it.
    await applyObjects(
      kc,
      objects.filter((o) => o.kind === "Namespace"),
    );
  });

  after(async () => {
    await cluster?.stop();
    if (runDir) await rm(runDir, { recursive: true, force: true });
  });

  it("accepts every object, fills defaults, and stores nothing", async () => {
    const answered = await applyObjects(kc, objects, { dryRun: true });
    assert.equal(answered.length, objects.length);
    const op = answered.find(
      (o) => o.kind === "Deployment" && o.metadata?.name === "patronus-operator",
    ) as V1Deployment;
    // Defaults only the apiserver adds: proof the objects went through its defaulting and validation.
    assert.equal(op.spec?.revisionHistoryLimit, 10);
    assert.equal(op.spec?.template.spec?.containers[0]?.terminationMessagePath, "/dev/termination-log");
    const apps = kc.makeApiClient(AppsV1Api);
    await assert.rejects(
      apps.readNamespacedDeployment({ name: "patronus-operator", namespace: NS }),
      /404|not found/i,
    );
  });

  it("pods from both templates pass the restricted Pod Security Standard", async () => {
    // A Pod (unlike a Deployment) is admitted against the namespace's enforce level and needs its
    // ServiceAccount to exist: create the accounts, then dry-run the pods.
    await applyObjects(
      kc,
      objects.filter((o) => o.kind === "ServiceAccount"),
    );
    for (const d of objects.filter((o): o is V1Deployment => o.kind === "Deployment")) {
      await applyObjects(kc, [podFrom(d, `${d.metadata?.name}-probe`)], { dryRun: true });
    }
  });

  it("the sharded mesh (mesh.shards 3: replicas + router) passes the dry run and the restricted standard", async () => {
    const sharded = (
      await generateManifests({ image: "patronus-bench:test", namespace: NS, mesh: { shards: 3 } })
    ).objects;
    const mesh = sharded.filter((o) => o.metadata?.name?.startsWith("patronus-mesh"));
    assert.equal(mesh.filter((o) => o.kind === "Deployment").length, 4);
    const answered = await applyObjects(kc, mesh, { dryRun: true });
    assert.equal(answered.length, mesh.length);
    await applyObjects(
      kc,
      mesh.filter((o) => o.kind === "ServiceAccount"),
    );
    for (const d of mesh.filter((o): o is V1Deployment => o.kind === "Deployment")) {
      await applyObjects(kc, [podFrom(d, `${d.metadata?.name}-probe`)], { dryRun: true });
    }
  });

  it("rejects a pod template that breaks the restricted standard", async () => {
    const d = structuredClone(objects.find((o) => o.kind === "Deployment")) as V1Deployment;
    const pod = podFrom(d, "privileged-probe");
    const c = pod.spec?.containers[0];
    assert.ok(c);
    c.securityContext = { ...c.securityContext, allowPrivilegeEscalation: true };
    await assert.rejects(
      applyObjects(kc, [pod], { dryRun: true }),
      (err: unknown) =>
        err instanceof HarnessError &&
        /violates PodSecurity \\?"restricted/.test(err.message) &&
        /allowPrivilegeEscalation/.test(err.message),
    );
  });

  it("rejects a container whose request exceeds its limit", async () => {
    const d = structuredClone(
      objects.find((o) => o.kind === "Deployment" && o.metadata?.name === "patronus-operator"),
    ) as V1Deployment;
    const c = d.spec?.template.spec?.containers[0];
    assert.ok(c?.resources);
    c.resources.requests = { cpu: "2", memory: "128Mi" };
    await assert.rejects(
      applyObjects(kc, [d], { dryRun: true }),
      (err: unknown) =>
        err instanceof HarnessError && /must be less than or equal to cpu limit/.test(err.message),
    );
  });

  it("rejects a field of the wrong type", async () => {
    const svc = structuredClone(objects.find((o) => o.kind === "Service")) as KubernetesObject & {
      spec: { ports: { port: unknown }[] };
    };
    const first = svc.spec.ports[0];
    assert.ok(first);
    first.port = "not-a-port";
    await assert.rejects(applyObjects(kc, [svc], { dryRun: true }), HarnessError);
  });

  it("the operator's in-cluster kubeconfig (tokenFile auth provider) authenticates as its ServiceAccount", async () => {
    // What the pod gets: a kubeconfig naming a CA file and a token file, as the kubelet projects
    // them. Here the files are written by hand, with a TokenRequest token of the generated account.
    await installCrds(cluster.kubeConfig(), await referenceInstall());
    await applyObjects(
      kc,
      objects.filter((o) => o.kind === "ClusterRole" || o.kind === "ClusterRoleBinding"),
    );
    const saDir = join(runDir, "serviceaccount");
    await mkdir(saDir, { recursive: true });
    const token = await kc.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
      name: "patronus-operator",
      namespace: NS,
      body: { spec: { audiences: [] } },
    });
    await writeFile(join(saDir, "token"), token.status?.token ?? "");
    await writeFile(join(saDir, "ca.crt"), Buffer.from(kc.getCurrentCluster()?.caData ?? "", "base64"));
    const path = join(runDir, "in-cluster.kubeconfig");
    await writeFile(
      path,
      inClusterKubeconfig({ server: cluster.endpoints.apiserver, serviceAccountDir: saDir }),
    );
    const sa = new KubeConfig();
    sa.loadFromFile(path);
    const sites = await sa
      .makeApiClient(CustomObjectsApi)
      .listClusterCustomObject({ group: "sdwan.patronus.io", version: "v1alpha1", plural: "sites" });
    assert.ok(Array.isArray((sites as { items?: unknown[] }).items));
    // And it is that account, not an admin: Secrets are not in its ClusterRole.
    await assert.rejects(
      sa.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: NS }),
      (err: unknown) => (err as { code?: number }).code === 403,
    );
  });

  it("deployWorkloads applies for real and reports Deployments that never become Available", async () => {
    // The embedded control plane has no scheduler or kubelet: the pods stay Pending, so the wait
    // must end in an error naming the Deployment and its availability, not hang.
    const ns = "deploy-apply";
    await assert.rejects(
      deployWorkloads(kc, { image: "patronus-bench:test", namespace: ns }, { timeoutMs: 4000 }),
      (err: unknown) =>
        err instanceof HarnessError &&
        /Deployments not Available within 4s: patronus-\w+: 0\/\d available/.test(err.message),
    );
    const apps = kc.makeApiClient(AppsV1Api);
    const op = await apps.readNamespacedDeployment({ name: "patronus-operator", namespace: ns });
    assert.equal(op.spec?.replicas, 2);
  });
});

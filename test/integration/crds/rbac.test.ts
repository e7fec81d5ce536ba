/**
 * The operator's RBAC (fixtures/rbac) on the real embedded control plane, exercised as the
 * patronus-operator ServiceAccount with a bound token: what it needs is allowed, the rest denied.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  AuthorizationV1Api,
  CoordinationV1Api,
  CoreV1Api,
  EventsV1Api,
  FlowcontrolApiserverV1Api,
  KubeConfig,
  V1MicroTime,
  type V1ResourceAttributes,
} from "@kubernetes/client-node";
import { type ClusterHandle, startCluster } from "../../../harness/cluster/index.ts";
import { installAccess, installCrds, referenceInstall } from "../../../harness/operators/install/index.ts";
import { GROUP, pathObject, siteObject, VERSION } from "../../../operator/api/v1alpha1/types.ts";
import { createObject, customObjects, expectRejection } from "./kube.ts";

const OPERATOR_NS = "patronus-system";
const SA = "patronus-operator";
const TENANT = "tenant-a";

/** [verb, resource, subresource, namespace, group, expected] — what the operator may and may not do. */
const ACCESS: [string, string, string, string, string, boolean][] = [
  ["list", "sites", "", "", GROUP, true],
  ["watch", "meshes", "", "", GROUP, true],
  ["get", "policies", "", TENANT, GROUP, true],
  ["patch", "sites", "", TENANT, GROUP, true],
  ["create", "sites", "", TENANT, GROUP, false],
  ["delete", "sites", "", TENANT, GROUP, false],
  ["delete", "meshes", "", TENANT, GROUP, false],
  ["create", "policies", "", TENANT, GROUP, false],
  ["deletecollection", "paths", "", TENANT, GROUP, false],
  ["create", "paths", "", TENANT, GROUP, true],
  ["delete", "paths", "", TENANT, GROUP, true],
  ["patch", "sites", "status", TENANT, GROUP, true],
  ["update", "policies", "status", TENANT, GROUP, true],
  ["update", "meshes", "finalizers", TENANT, GROUP, true],
  ["create", "events", "", TENANT, "", true],
  ["create", "events", "", TENANT, "events.k8s.io", true],
  ["delete", "events", "", TENANT, "events.k8s.io", false],
  ["update", "leases", "", OPERATOR_NS, "coordination.k8s.io", true],
  ["create", "leases", "", TENANT, "coordination.k8s.io", false],
  ["delete", "leases", "", OPERATOR_NS, "coordination.k8s.io", false],
  ["get", "secrets", "", OPERATOR_NS, "", false],
  ["list", "pods", "", "", "", false],
  ["create", "customresourcedefinitions", "", "", "apiextensions.k8s.io", false],
  ["escalate", "clusterroles", "", "", "rbac.authorization.k8s.io", false],
];

describe("operator RBAC as the patronus-operator ServiceAccount", () => {
  let runDir: string;
  let cluster: ClusterHandle;
  let admin: KubeConfig;
  let operator: KubeConfig;

  before(async () => {
    runDir = await mkdtemp(join(tmpdir(), "rbac-it-"));
    cluster = await startCluster({ runDir });
    admin = cluster.kubeConfig();
    await installCrds(cluster.kubeConfig(), await referenceInstall());
    await installAccess(cluster.kubeConfig(), await referenceInstall());
    await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: TENANT } } });
    await createObject(
      admin,
      TENANT,
      siteObject("branch-1", TENANT, {
        region: "eu",
        links: [{ name: "inet0", type: "internet", bandwidthMbps: 100, cost: 1 }],
      }),
    );
    operator = new KubeConfig();
    operator.loadFromFile(await cluster.serviceAccountKubeconfig(OPERATOR_NS, SA));
  });

  after(async () => {
    await cluster?.stop();
    if (runDir) await rm(runDir, { recursive: true, force: true });
  });

  it("the token authenticates as the ServiceAccount, not as an admin", async () => {
    const review = await operator.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { verb: "*", resource: "*", group: "*" } } },
    });
    assert.equal(review.status?.allowed, false);
  });

  for (const [verb, resource, subresource, namespace, group, expected] of ACCESS) {
    const what = `${verb} ${group || "core"}/${resource}${subresource ? `/${subresource}` : ""}${namespace ? ` in ${namespace}` : " cluster-wide"}`;
    it(`${expected ? "allows" : "denies"} ${what}`, async () => {
      const attributes: V1ResourceAttributes = { verb, resource, group };
      if (subresource) attributes.subresource = subresource;
      if (namespace) attributes.namespace = namespace;
      const review = await operator
        .makeApiClient(AuthorizationV1Api)
        .createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: attributes } } });
      assert.equal(review.status?.allowed, expected, review.status?.reason ?? "");
    });
  }

  it("is refused (403) when it tries to delete a Site, and can read it", async () => {
    const ref = { group: GROUP, version: VERSION, namespace: TENANT, plural: "sites", name: "branch-1" };
    const rejected = await expectRejection(() => customObjects(operator).deleteNamespacedCustomObject(ref));
    assert.equal(rejected.code, 403, rejected.message);
    assert.match(rejected.message, /system:serviceaccount:patronus-system:patronus-operator/);
    const site = await customObjects(operator).getNamespacedCustomObject(ref);
    assert.equal(site.metadata.name, "branch-1");
  });

  it("lists Sites across all namespaces, as its informers do", async () => {
    const list = await customObjects(operator).listClusterCustomObject({
      group: GROUP,
      version: VERSION,
      plural: "sites",
    });
    assert.deepEqual(
      list.items.map((s: { metadata: { name: string } }) => s.metadata.name),
      ["branch-1"],
    );
  });

  it("creates and deletes a Path, writes Site status, and records an Event", async () => {
    const path = pathObject(
      { name: "mesh-a", namespace: TENANT, uid: "00000000-0000-0000-0000-000000000001" },
      { id: "a.b.l1.l2", siteA: "a", siteB: "b", linkA: "l1", linkB: "l2" },
    );
    // The owner uid is made up: the garbage collector would delete the Path, so drop the reference.
    path.metadata.ownerReferences = undefined;
    await createObject(operator, TENANT, path);
    const api = customObjects(operator);
    const site = await api.getNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: TENANT,
      plural: "sites",
      name: "branch-1",
    });
    const written = await api.replaceNamespacedCustomObjectStatus({
      group: GROUP,
      version: VERSION,
      namespace: TENANT,
      plural: "sites",
      name: "branch-1",
      body: { ...site, status: { phase: "Registering" } },
    });
    assert.equal(written.status.phase, "Registering");
    await operator.makeApiClient(EventsV1Api).createNamespacedEvent({
      namespace: TENANT,
      body: {
        metadata: { generateName: "branch-1-" },
        eventTime: new V1MicroTime(),
        reportingController: "sdwan.patronus.io/operator",
        reportingInstance: "test",
        action: "Register",
        reason: "Registering",
        type: "Normal",
        note: "registering the site",
        regarding: { apiVersion: `${GROUP}/${VERSION}`, kind: "Site", name: "branch-1", namespace: TENANT },
      },
    });
    await api.deleteNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: TENANT,
      plural: "paths",
      name: "a.b.l1.l2",
    });
  });

  it("holds a leader-election Lease in its namespace only", async () => {
    const leases = operator.makeApiClient(CoordinationV1Api);
    const body = {
      metadata: { name: "patronus-operator" },
      spec: { holderIdentity: "replica-1", leaseDurationSeconds: 15 },
    };
    const lease = await leases.createNamespacedLease({ namespace: OPERATOR_NS, body });
    const renewed = await leases.replaceNamespacedLease({
      name: "patronus-operator",
      namespace: OPERATOR_NS,
      body: { ...lease, spec: { ...lease.spec, renewTime: new V1MicroTime() } },
    });
    assert.equal(renewed.spec?.holderIdentity, "replica-1");
    const elsewhere = await expectRejection(() => leases.createNamespacedLease({ namespace: TENANT, body }));
    assert.equal(elsewhere.code, 403);
  });

  it("its Lease requests go to the leader-election priority level, its other requests do not", async () => {
    const flowcontrol = admin.makeApiClient(FlowcontrolApiserverV1Api);
    const schema = await flowcontrol.readFlowSchema({
      name: `${OPERATOR_NS}.patronus-operator-leader-election`,
    });
    const level = await flowcontrol.readPriorityLevelConfiguration({ name: "leader-election" });
    // The apiserver names the flow schema and priority level that served each request.
    const lease = await apfHeaders(
      operator,
      `/apis/coordination.k8s.io/v1/namespaces/${OPERATOR_NS}/leases/patronus-operator`,
    );
    assert.equal(lease.status, 200);
    assert.equal(lease.flowSchemaUid, schema.metadata?.uid);
    assert.equal(lease.priorityLevelUid, level.metadata?.uid);
    const sites = await apfHeaders(operator, `/apis/${GROUP}/${VERSION}/namespaces/${TENANT}/sites`);
    assert.equal(sites.status, 200);
    assert.ok(sites.priorityLevelUid, "the apiserver reports a priority level");
    assert.notEqual(sites.priorityLevelUid, level.metadata?.uid, "Site requests stay out of leader-election");
  });

  it("its Path writes go to the install's own priority level, its Site writes and reads do not", async () => {
    const flowcontrol = admin.makeApiClient(FlowcontrolApiserverV1Api);
    const name = `${OPERATOR_NS}.patronus-operator-paths`;
    const schema = await flowcontrol.readFlowSchema({ name });
    const level = await flowcontrol.readPriorityLevelConfiguration({ name });
    assert.equal(schema.spec?.priorityLevelConfiguration.name, name);
    // Dry runs: classified, authorized and admitted as real writes, nothing stored.
    const path = pathObject(
      { name: "mesh-apf", namespace: TENANT, uid: "00000000-0000-0000-0000-000000000002" },
      { id: "c.d.l1.l2", siteA: "c", siteB: "d", linkA: "l1", linkB: "l2" },
    );
    path.metadata.ownerReferences = undefined;
    const create = await apfHeaders(
      operator,
      `/apis/${GROUP}/${VERSION}/namespaces/${TENANT}/paths?dryRun=All`,
      {
        method: "POST",
        body: path,
      },
    );
    assert.equal(create.status, 201);
    assert.equal(create.flowSchemaUid, schema.metadata?.uid);
    assert.equal(create.priorityLevelUid, level.metadata?.uid);
    const sitePath = `/apis/${GROUP}/${VERSION}/namespaces/${TENANT}/sites/branch-1`;
    const siteStatus = await apfHeaders(operator, `${sitePath}/status?dryRun=All`, {
      method: "PATCH",
      body: { status: { phase: "Pending" } },
      contentType: "application/merge-patch+json",
    });
    assert.equal(siteStatus.status, 200);
    assert.ok(siteStatus.priorityLevelUid, "the apiserver reports a priority level");
    assert.notEqual(siteStatus.priorityLevelUid, level.metadata?.uid, "Site writes keep their level");
    const listPaths = await apfHeaders(operator, `/apis/${GROUP}/${VERSION}/namespaces/${TENANT}/paths`);
    assert.equal(listPaths.status, 200);
    assert.notEqual(
      listPaths.priorityLevelUid,
      level.metadata?.uid,
      "reads (the informers' lists) keep theirs",
    );
    // Its seats are its own: neither lent to other levels nor borrowed from them.
    assert.equal(level.spec?.limited?.lendablePercent, 0);
    assert.equal(level.spec?.limited?.borrowingLimitPercent, 0);
  });
});

/** A request as the kubeconfig's user; the status and the APF headers of the answer. */
async function apfHeaders(
  kc: KubeConfig,
  path: string,
  request: { method?: string; body?: unknown; contentType?: string } = {},
): Promise<{ status: number | undefined; flowSchemaUid?: string; priorityLevelUid?: string }> {
  const method = request.method ?? "GET";
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const options: https.RequestOptions = {
    method,
    timeout: 5000,
    headers: body ? { "content-type": request.contentType ?? "application/json" } : {},
  };
  await kc.applyToHTTPSOptions(options);
  const url = new URL(path, kc.getCurrentCluster()?.server);
  return new Promise((resolve, reject) => {
    const req = https.request(url, options, (res) => {
      res.resume();
      res.on("end", () =>
        resolve({
          status: res.statusCode,
          flowSchemaUid: res.headers["x-kubernetes-pf-flowschema-uid"] as string | undefined,
          priorityLevelUid: res.headers["x-kubernetes-pf-prioritylevel-uid"] as string | undefined,
        }),
      );
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on("error", reject);
    req.end(body);
  });
}

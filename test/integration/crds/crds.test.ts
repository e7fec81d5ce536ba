/**
 * The Patronus CRDs on the real embedded control plane: they install and become Established,
 * the shared sample table (operator/api/v1alpha1/samples.ts) is judged by the apiserver exactly
 * as by the zod validators, and status, immutability, defaults and printer columns behave.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ApiextensionsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { parse } from "yaml";
import { type ClusterHandle, startCluster } from "../../../harness/cluster/index.ts";
import { installCrds, referenceInstall } from "../../../harness/operators/install/index.ts";
import { CRDS_DIR as CRD_DIR } from "../../../harness/paths.ts";
import { CIDR_CASES, INVALID_SAMPLES, VALID_SAMPLES } from "../../../operator/api/v1alpha1/samples.ts";
import {
  CATEGORY,
  checkResource,
  GROUP,
  KINDS,
  PATH,
  SITE,
  VERSION,
} from "../../../operator/api/v1alpha1/types.ts";
import { createObject, customObjects, expectRejection, getRaw, getTable, rejection } from "./kube.ts";

const NS = "crd-test";

describe("Patronus CRDs on the embedded control plane", () => {
  let runDir: string;
  let cluster: ClusterHandle;
  let kc: KubeConfig;

  before(async () => {
    runDir = await mkdtemp(join(tmpdir(), "crds-it-"));
    cluster = await startCluster({ runDir });
    kc = cluster.kubeConfig();
    await installCrds(cluster.kubeConfig(), await referenceInstall());
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
  });

  after(async () => {
    await cluster?.stop();
    if (runDir) await rm(runDir, { recursive: true, force: true });
  });

  it("every CRD is Established with its names accepted", async () => {
    const api = kc.makeApiClient(ApiextensionsV1Api);
    for (const names of KINDS) {
      const crd = await api.readCustomResourceDefinition({ name: names.crdName });
      const status = (type: string) => crd.status?.conditions?.find((c) => c.type === type)?.status;
      assert.equal(status("Established"), "True", `${names.crdName} Established`);
      assert.equal(status("NamesAccepted"), "True", `${names.crdName} NamesAccepted`);
      assert.deepEqual(crd.status?.acceptedNames?.shortNames, [names.shortName]);
    }
  });

  it("installCrds stores exactly the schemas in fixtures/crds", async () => {
    for (const file of (await readdir(CRD_DIR)).filter((f) => f.endsWith(".yaml"))) {
      const fixture = parse(await readFile(join(CRD_DIR, file), "utf8"));
      const stored = (await getRaw(
        kc,
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${fixture.metadata.name}`,
      )) as typeof fixture;
      assert.deepEqual(
        stored.spec.versions,
        fixture.spec.versions,
        `${file}: the stored CRD differs from the fixture. If enum or x-kubernetes-* keys are missing, the ` +
          "manifest went through client-node's typed serializer as a plain object (it renames `enum` to " +
          "`_enum` and knows x-kubernetes-* only by camelCase names): deserialize first (loadAllYaml or " +
          "ObjectSerializer.deserialize) or send raw JSON",
      );
    }
  });

  it("discovery serves every kind with its short name, category and status subresource", async () => {
    const list = await customObjects(kc).getAPIResources({ group: GROUP, version: VERSION });
    for (const names of KINDS) {
      const resource = list.resources.find((r) => r.name === names.plural);
      assert.ok(resource, `${names.plural} in discovery`);
      assert.equal(resource.namespaced, true);
      assert.deepEqual(resource.shortNames, [names.shortName]);
      assert.deepEqual(resource.categories, [CATEGORY]);
      assert.ok(
        list.resources.some((r) => r.name === `${names.plural}/status`),
        `${names.plural}/status`,
      );
    }
  });

  describe("valid samples are accepted by the apiserver and by zod", () => {
    for (const sample of VALID_SAMPLES) {
      it(`${sample.kind}: ${sample.name}`, async () => {
        assert.ok(checkResource(sample.kind, sample.object).ok, "zod accepts it");
        await createObject(kc, NS, sample.object);
      });
    }
  });

  describe("invalid samples are rejected with a field-level message, where zod rejects them too", () => {
    for (const sample of INVALID_SAMPLES) {
      it(`${sample.kind}: ${sample.name} → ${sample.field}`, async () => {
        const rejected = await expectRejection(() => createObject(kc, NS, sample.object));
        assert.equal(rejected.code, 422, rejected.message);
        const cause = rejected.causes.find(
          (c) => c.field === sample.field && c.message?.includes(sample.apiMessage),
        );
        assert.ok(
          cause,
          `expected a cause at ${sample.field} containing "${sample.apiMessage}"; got ${JSON.stringify(rejected.causes)}`,
        );
        const checked = checkResource(sample.kind, sample.object);
        assert.ok(
          !checked.ok && checked.issues.some((i) => i.field === sample.field),
          "zod flags the same field",
        );
      });
    }
  });

  it("judges CIDR prefixes as the zod validator does (CEL isCIDR and cidr().masked())", async () => {
    const base = VALID_SAMPLES.find((s) => s.kind === "Policy")!.object;
    const disagreements: string[] = [];
    for (const [prefix, isCidr, canonical] of CIDR_CASES) {
      const body = {
        ...base,
        metadata: { name: "cidr-probe" },
        spec: { ...(base.spec as object), match: { prefixes: [prefix] } },
      };
      const zodAccepts = checkResource("Policy", body).ok;
      let apiAccepts = true;
      try {
        await customObjects(kc).createNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace: NS,
          plural: "policies",
          body,
          dryRun: "All",
        });
      } catch (err) {
        const rejected = rejection(err);
        assert.equal(rejected.code, 422, rejected.message);
        apiAccepts = false;
      }
      if (apiAccepts !== (isCidr && canonical) || zodAccepts !== apiAccepts) {
        disagreements.push(
          `${prefix}: apiserver ${apiAccepts}, zod ${zodAccepts}, table ${isCidr && canonical}`,
        );
      }
    }
    assert.deepEqual(disagreements, []);
  });

  it("applies defaults: hub false on a Site, maxTunnels 50000 on a Mesh", async () => {
    const api = customObjects(kc);
    const site = await api.getNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: NS,
      plural: "sites",
      name: "s1",
    });
    assert.equal(site.spec.hub, false);
    const mesh = await api.getNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: NS,
      plural: "meshes",
      name: "full",
    });
    assert.equal(mesh.spec.maxTunnels, 50_000);
  });

  it("status is a subresource: ignored on create, written through /status without bumping generation", async () => {
    const api = customObjects(kc);
    const sample = VALID_SAMPLES.find((s) => s.kind === "Site")!;
    const body = { ...sample.object, metadata: { name: "with-status" }, status: { phase: "Ready" } };
    const created = await createObject(kc, NS, body as typeof sample.object);
    assert.equal((created as { status?: unknown }).status, undefined);
    const ref = { group: GROUP, version: VERSION, namespace: NS, plural: SITE.plural, name: "with-status" };
    const current = await api.getNamespacedCustomObject(ref);
    const condition = {
      type: "Registered",
      status: "True",
      reason: "Registered",
      message: "site registered",
      lastTransitionTime: "2026-01-01T00:00:00Z",
      observedGeneration: 1,
    };
    const updated = await api.replaceNamespacedCustomObjectStatus({
      ...ref,
      body: {
        ...current,
        status: { phase: "Ready", siteId: "s-1", observedGeneration: 1, conditions: [condition] },
      },
    });
    assert.equal(updated.status.phase, "Ready");
    assert.equal(updated.metadata.generation, current.metadata.generation);

    const bad = await expectRejection(() =>
      api.replaceNamespacedCustomObjectStatus({
        ...ref,
        body: {
          ...updated,
          status: { ...updated.status, conditions: [{ ...condition, reason: "not a reason" }] },
        },
      }),
    );
    assert.equal(bad.code, 422);
    assert.ok(
      bad.causes.some((c) => c.field === "status.conditions[0].reason"),
      JSON.stringify(bad.causes),
    );
  });

  it("a Path's spec is immutable but its status is not", async () => {
    const api = customObjects(kc);
    const sample = VALID_SAMPLES.find((s) => s.kind === "Path")!;
    const ref = {
      group: GROUP,
      version: VERSION,
      namespace: NS,
      plural: PATH.plural,
      name: sample.object.metadata.name,
    };
    const current = await api.getNamespacedCustomObject(ref);
    const rejected = await expectRejection(() =>
      api.replaceNamespacedCustomObject({
        ...ref,
        body: { ...current, spec: { ...current.spec, mesh: "mesh-b" } },
      }),
    );
    assert.equal(rejected.code, 422);
    assert.ok(
      rejected.causes.some((c) => c.field === "spec" && c.message?.includes("Path spec is immutable")),
      JSON.stringify(rejected.causes),
    );
    const labelled = await api.replaceNamespacedCustomObject({
      ...ref,
      body: { ...current, metadata: { ...current.metadata, labels: { team: "net" } } },
    });
    assert.equal(labelled.metadata.labels.team, "net", "metadata stays mutable");
    const withStatus = await api.replaceNamespacedCustomObjectStatus({
      ...ref,
      body: { ...labelled, status: { state: "Up", latencyMs: 12.5, jitterMs: 1, lossPercent: 0.1 } },
    });
    assert.equal(withStatus.status.state, "Up");
  });

  // Runs after the tests above: the Path row shows the status the immutability test wrote.
  it("printer columns show what kubectl get should", async () => {
    const base = `/apis/${GROUP}/${VERSION}/namespaces/${NS}`;
    const site = await getTable(kc, `${base}/sites/hub-1`);
    assert.deepEqual(site.columns, ["Name", "Region", "Hub", "Phase", "Site-ID", "Age"]);
    assert.deepEqual(site.cells.slice(0, 3), ["hub-1", "us-east", true]);
    const mesh = await getTable(kc, `${base}/meshes/mesh.partial`);
    assert.deepEqual(mesh.columns, ["Name", "Topology", "Sites", "Paths", "Healthy", "Ready", "Age"]);
    assert.equal(mesh.cells[1], "partial");
    const path = await getTable(kc, `${base}/paths/site-a.site-b.inet0.inet0`);
    assert.deepEqual(path.columns, ["Name", "State", "Latency", "Loss", "Mesh", "Site-A", "Site-B", "Age"]);
    assert.deepEqual(path.cells.slice(1, 4), ["Up", 12.5, 0.1]);
    const policy = await getTable(kc, `${base}/policies/voice`);
    assert.deepEqual(policy.columns, ["Name", "Class", "Applied", "Sites", "Reroutes", "Age"]);
    assert.equal(policy.cells[1], "voice");
  });
});

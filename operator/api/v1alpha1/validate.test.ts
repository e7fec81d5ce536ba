import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isCanonicalCidr, isCidr } from "./cidr.ts";
import { MESH_LABEL } from "./constants.ts";
import { meshObject, pathObject, pathObjectUnchecked, policyObject, siteObject } from "./objects.ts";
import { CIDR_CASES, INVALID_SAMPLES, VALID_SAMPLES } from "./samples.ts";
import { checkResource, InvalidResourceError } from "./validate.ts";

describe("zod validators on the shared sample table", () => {
  for (const sample of VALID_SAMPLES) {
    it(`accepts ${sample.kind}: ${sample.name}`, () => {
      const checked = checkResource(sample.kind, sample.object);
      assert.ok(checked.ok, checked.ok ? "" : checked.message);
    });
  }
  for (const sample of INVALID_SAMPLES) {
    it(`rejects ${sample.kind}: ${sample.name} at ${sample.field}`, () => {
      const checked = checkResource(sample.kind, sample.object);
      assert.equal(checked.ok, false, "accepted an invalid object");
      if (checked.ok) return;
      const atField = checked.issues.filter((i) => i.field === sample.field);
      assert.ok(atField.length > 0, `no issue at ${sample.field}; got: ${checked.message}`);
      assert.deepEqual(
        checked.issues.filter((i) => i.field !== sample.field),
        [],
        "the sample must break exactly one field",
      );
      if (sample.layer === "cel") {
        assert.ok(
          atField.some((i) => i.message.includes(sample.apiMessage)),
          `CEL-mirroring message should contain "${sample.apiMessage}"; got: ${checked.message}`,
        );
      }
    });
  }
  it("has at least 15 invalid samples covering every kind", () => {
    assert.ok(INVALID_SAMPLES.length >= 15);
    assert.deepEqual(
      new Set(INVALID_SAMPLES.map((s) => s.kind)),
      new Set(["Site", "Mesh", "Path", "Policy"]),
    );
  });
});

describe("object constructors", () => {
  it("siteObject applies the hub default like the apiserver", () => {
    const site = siteObject("s1", "ns", {
      region: "eu",
      links: [{ name: "l", type: "lte", bandwidthMbps: 5, cost: 1 }],
    });
    assert.equal(site.spec.hub, false);
    assert.deepEqual(site.metadata, { name: "s1", namespace: "ns" });
  });
  it("siteObject throws naming the object and the field", () => {
    assert.throws(
      () => siteObject("s1", "ns", { region: "eu", links: [] }, { a: "b" }),
      (err: unknown) =>
        err instanceof InvalidResourceError &&
        err.message.startsWith('invalid Site "s1": spec.links:') &&
        err.issues[0]?.field === "spec.links",
    );
  });
  it("meshObject defaults maxTunnels", () => {
    assert.equal(meshObject("m", "ns", { topology: { type: "full" } }).spec.maxTunnels, 50_000);
  });
  it("policyObject keeps labels", () => {
    const p = policyObject(
      "p",
      "ns",
      {
        class: "video",
        match: { dscp: [34] },
        sla: { maxLatencyMs: 100, maxJitterMs: 10, maxLossPercent: 0.5 },
        preferredLinks: ["internet"],
      },
      { team: "x" },
    );
    assert.deepEqual(p.metadata.labels, { team: "x" });
  });
  it("pathObject names the Path after the tunnel, labels it and makes the Mesh its controller", () => {
    const p = pathObject(
      { name: "mesh-a", namespace: "ns", uid: "u-1" },
      { id: "a.b.l1.l2", siteA: "a", siteB: "b", linkA: "l1", linkB: "l2" },
    );
    assert.equal(p.metadata.name, "a.b.l1.l2");
    assert.equal(p.metadata.labels?.[MESH_LABEL], "mesh-a");
    assert.deepEqual(p.metadata.ownerReferences, [
      {
        apiVersion: "sdwan.patronus.io/v1alpha1",
        kind: "Mesh",
        name: "mesh-a",
        uid: "u-1",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.equal(p.spec.mesh, "mesh-a");
  });
  it("pathObjectUnchecked builds exactly what pathObject validates, for tunnels of every kind", () => {
    const mesh = { name: "mesh-a", namespace: "ns", uid: "u-1" };
    for (const t of [
      { id: "a.b.l1.l2", siteA: "a", siteB: "b", linkA: "l1", linkB: "l2" },
      {
        id: "hub-01.site-0007.inet0.mpls0",
        siteA: "hub-01",
        siteB: "site-0007",
        linkA: "inet0",
        linkB: "mpls0",
      },
    ]) {
      assert.deepEqual(pathObjectUnchecked(mesh, t, { team: "x" }), pathObject(mesh, t, { team: "x" }));
      assert.deepEqual(pathObjectUnchecked(mesh, t), pathObject(mesh, t));
    }
  });
});

describe("CIDR checks match the CEL isCIDR / masked() semantics", () => {
  for (const [cidr, valid, canonical] of CIDR_CASES) {
    it(`${cidr}: isCidr ${valid}, canonical ${canonical}`, () => {
      assert.equal(isCidr(cidr), valid);
      assert.equal(isCanonicalCidr(cidr), canonical);
    });
  }
});

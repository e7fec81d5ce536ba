import assert from "node:assert/strict";
import { test } from "node:test";
import { type Site, siteObject } from "../api/v1alpha1/types.ts";
import { SpecChecks } from "./spec-check.ts";

function site(uid: string | undefined, generation: number | undefined, region = "eu"): Site {
  const s = siteObject("s1", "ns", {
    region,
    links: [{ name: "wan", type: "internet", bandwidthMbps: 100, cost: 1 }],
  });
  return { ...s, metadata: { ...s.metadata, uid, generation } };
}

/** The same object with a spec the check rejects (the apiserver would too, unless its CRD were edited). */
function broken(s: Site): Site {
  return { ...s, spec: { ...s.spec, links: [] } };
}

test("a generation's outcome is reused: a later object of the same uid and generation is not re-checked", () => {
  const checks = new SpecChecks("Site");
  const first = checks.check("ns/s1", site("u1", 1));
  assert.equal(first.ok, true);
  assert.equal(first.ok && first.spec.hub, false, "defaults applied");
  // Same generation: by the generation contract the spec is the one checked before.
  assert.equal(checks.check("ns/s1", broken(site("u1", 1))), first);
});

test("a new generation or a new uid is checked again", () => {
  const checks = new SpecChecks("Site");
  assert.equal(checks.check("ns/s1", site("u1", 1)).ok, true);
  const bad = checks.check("ns/s1", broken(site("u1", 2)));
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.message : "", /spec\.links/);
  // Invalid outcomes are kept per generation too.
  assert.equal(checks.check("ns/s1", broken(site("u1", 2))), bad);
  assert.equal(checks.check("ns/s1", site("u2", 2)).ok, true, "recreated object, same name");
  assert.equal(checks.check("ns/s1", site("u2", 3, "us")).ok, true);
});

test("objects without uid or generation are always checked; forget drops the entry", () => {
  const checks = new SpecChecks("Site");
  assert.equal(checks.check("ns/s1", site(undefined, 1)).ok, true);
  assert.equal(checks.check("ns/s1", broken(site(undefined, 1))).ok, false);
  assert.equal(checks.check("ns/s1", site("u1", undefined)).ok, true);
  assert.equal(checks.check("ns/s1", broken(site("u1", undefined))).ok, false);
  assert.equal(checks.size, 0);
  checks.check("ns/s1", site("u1", 1));
  assert.equal(checks.size, 1);
  checks.forget("ns/s1");
  assert.equal(checks.size, 0);
  assert.equal(checks.check("ns/s1", broken(site("u1", 1))).ok, false);
});

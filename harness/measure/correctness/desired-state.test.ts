import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CrObject } from "../../load/kube/client.ts";
import type { LedgerEntry } from "../../load/objects/ledger.ts";
import type { MeshPolicyView, MeshSiteView } from "../targets.ts";
import {
  classifyProblem,
  differingFields,
  disagreements,
  rsMeshDisagreements,
  rsPolicyBody,
  rsSiteBody,
  tunnelDisagreements,
} from "./desired-state.ts";

const spec = (region: string) => ({
  region,
  links: [{ name: "mpls-0", type: "mpls", bandwidthMbps: 100, cost: 1 }],
});

function entry(name: string, s: Record<string, unknown>, state: LedgerEntry["state"] = "live"): LedgerEntry {
  return { kind: "site", name, spec: s, generation: 2, state, busy: false };
}

function inCluster(name: string, s: Record<string, unknown>, observed: number, generation = 2): CrObject {
  return {
    apiVersion: "sdwan.patronus.io/v1alpha1",
    kind: "Site",
    metadata: { name, generation },
    spec: s,
    status: { observedGeneration: observed, conditions: [{ type: "Ready", status: "True" }] },
  } as CrObject;
}

const mesh = (...sites: Array<[string, Record<string, unknown>]>) =>
  new Map<string, MeshSiteView>(sites.map(([name, s]) => [name, { name, spec: { hub: false, ...s } }]));

describe("disagreements (lost_updates)", () => {
  it("finds none when cluster, status and mesh all hold the last spec written", () => {
    const got = disagreements(
      [entry("a", spec("eu"))],
      new Map([["site/a", inCluster("a", spec("eu"), 2)]]),
      mesh(["a", spec("eu")]),
    );
    assert.equal(got.size, 0);
  });

  it("counts an object once however many ways its last change was not applied", () => {
    // The operator never applied generation 2: status behind and the mesh still on the old spec.
    const got = disagreements(
      [entry("a", spec("us")), entry("b", spec("eu"))],
      new Map([
        ["site/a", inCluster("a", spec("us"), 1)],
        ["site/b", inCluster("b", spec("eu"), 2)],
      ]),
      mesh(["a", spec("eu")], ["b", spec("eu")]),
    );
    assert.deepEqual([...got.keys()], ["site/a"]);
    assert.deepEqual(got.get("site/a"), [
      "status not caught up (generation 2, observed 1)",
      "mesh holds a different spec",
    ]);
  });

  it("flags a deleted Site the mesh still holds, and accepts one still finalizing in the cluster", () => {
    const deleting = inCluster("c", spec("eu"), 2);
    deleting.metadata = { ...deleting.metadata, deletionTimestamp: new Date("2026-11-26T06:00:00Z") };
    const got = disagreements(
      [entry("b", spec("eu"), "gone"), entry("c", spec("eu"), "deleted")],
      new Map([["site/c", deleting]]),
      mesh(["b", spec("eu")]),
    );
    assert.deepEqual([...got], [["site/b", ["deleted but still registered in the mesh"]]]);
  });

  it("flags a live object missing from the cluster and from the mesh as one", () => {
    const got = disagreements([entry("d", spec("eu"))], new Map(), mesh());
    assert.deepEqual([...got], [["site/d", ["missing from the cluster"]]]);
  });

  describe("Policies in the mesh", () => {
    const policySpec = (maxLatencyMs: number) => ({
      class: "voice",
      match: { dscp: [46] },
      siteSelector: { matchLabels: { role: "branch" } },
      sla: { maxLatencyMs, maxJitterMs: 30, maxLossPercent: 1 },
      preferredLinks: ["mpls", "internet"],
    });
    const policyEntry = (name: string, s: Record<string, unknown>, state: LedgerEntry["state"] = "live") =>
      ({ kind: "policy", name, spec: s, generation: 2, state, busy: false }) as LedgerEntry;
    const applied = (name: string, s: Record<string, unknown>) =>
      ({
        apiVersion: "sdwan.patronus.io/v1alpha1",
        kind: "Policy",
        metadata: { name, generation: 2 },
        spec: s,
        status: { observedGeneration: 2, conditions: [{ type: "Applied", status: "True" }] },
      }) as CrObject;
    /** The mesh's copy: selector resolved to sites, no match rules. */
    const held = (name: string, maxLatencyMs: number): [string, MeshPolicyView] => [
      name,
      {
        name,
        spec: {
          class: "voice",
          sites: ["b-1", "b-2"],
          sla: { maxLatencyMs, maxJitterMs: 30, maxLossPercent: 1 },
          preferredLinks: ["mpls", "internet"],
        },
      },
    ];

    it("agree when the mesh holds the class, SLA and links last written", () => {
      const got = disagreements(
        [policyEntry("p", policySpec(150))],
        new Map([["policy/p", applied("p", policySpec(150))]]),
        mesh(),
        new Map([held("p", 150)]),
      );
      assert.equal(got.size, 0);
    });

    it("flag a policy the mesh holds at an older SLA, one it does not hold, and a deleted one it still holds", () => {
      const got = disagreements(
        [
          policyEntry("p", policySpec(160)),
          policyEntry("q", policySpec(150)),
          policyEntry("r", policySpec(150), "gone"),
        ],
        new Map([
          ["policy/p", applied("p", policySpec(160))],
          ["policy/q", applied("q", policySpec(150))],
        ]),
        mesh(),
        new Map([held("p", 150), held("r", 150)]),
      );
      assert.deepEqual(
        [...got],
        [
          ["policy/p", ["mesh holds a different policy"]],
          ["policy/q", ["not held by the mesh"]],
          ["policy/r", ["deleted but still held by the mesh"]],
        ],
      );
    });

    it("are not judged when the mesh's policies were not read", () => {
      const got = disagreements(
        [policyEntry("q", policySpec(150))],
        new Map([["policy/q", applied("q", policySpec(150))]]),
        mesh(),
      );
      assert.equal(got.size, 0);
    });
  });

  describe("the Mesh's tunnels", () => {
    const ids = (...names: string[]) => new Set(names);

    it("agree when every implied tunnel has a Path and is programmed, and nothing else is", () => {
      assert.equal(tunnelDisagreements(ids("a", "b"), ids("b", "a"), ids("a", "b")).size, 0);
    });

    it("name each missing or left-over Path and mesh tunnel, one entry per tunnel", () => {
      const got = tunnelDisagreements(ids("a", "b", "c"), ids("a", "b", "x"), ids("a", "c", "y", "x"));
      assert.deepEqual(
        [...got],
        [
          ["path/b", ["tunnel not programmed in the mesh"]],
          ["path/c", ["no Path for a tunnel the live Sites imply"]],
          [
            "path/x",
            [
              "Path left for a tunnel no live Site pair implies",
              "mesh still programs a tunnel no live Site pair implies",
            ],
          ],
          ["path/y", ["mesh still programs a tunnel no live Site pair implies"]],
        ],
      );
    });

    it("judge only the Paths when the mesh's program was not read", () => {
      const got = tunnelDisagreements(ids("a", "b"), ids("a"), undefined);
      assert.deepEqual([...got], [["path/b", ["no Path for a tunnel the live Sites imply"]]]);
    });
  });
});

describe("the patronus-rs dialect's mesh (lost_updates)", () => {
  const KEY = "YjE2OTNkMWQxYzYwZGU3ZWZhMDU4MWU3YzU4MTU4MD0=";
  const rsSpec = (endpoint: string, extra: Record<string, unknown> = {}) => ({
    wireguard: { public_key: KEY, listen_port: 51820, endpoints: [endpoint] },
    ...extra,
  });
  const rsSite = (name: string, spec: Record<string, unknown>, deleting = false): CrObject =>
    ({
      apiVersion: "sdwan.patronus.dev/v1alpha1",
      kind: "Site",
      metadata: { name, generation: 1, ...(deleting ? { deletionTimestamp: "2026-12-07T00:00:00Z" } : {}) },
      spec,
    }) as CrObject;

  it("maps a Site spec to the body the operator sends: every key, nulls for what is left out", () => {
    assert.deepEqual(rsSiteBody("s1", rsSpec("10.0.0.1:51820")), {
      name: "s1",
      location: null,
      wireguard: { public_key: KEY, listen_port: 51820, endpoints: ["10.0.0.1:51820"] },
      resources: null,
      mesh: null,
    });
    assert.deepEqual(
      rsSiteBody(
        "s2",
        rsSpec("10.0.0.2:51820", { location: "Oslo", resources: { cpu: "2" }, mesh: { enabled: true } }),
      ),
      {
        name: "s2",
        location: "Oslo",
        wireguard: { public_key: KEY, listen_port: 51820, endpoints: ["10.0.0.2:51820"] },
        resources: { cpu: "2", memory: null, storage: null },
        mesh: { enabled: true, peer_with: [] },
      },
    );
  });

  it("maps a Policy spec to itself without the fields left out", () => {
    assert.deepEqual(
      rsPolicyBody({ priority: 10, match: { protocol: "tcp", dscp: null }, action: { type: "route" } }),
      { priority: 10, match: { protocol: "tcp" }, action: { type: "route" } },
    );
  });

  it("names a mismatch (with the fields), a missing site and a left-over one; in-flight deletions are not counted", () => {
    const cluster = [
      rsSite("same", rsSpec("10.0.0.1:51820")),
      rsSite("stale", rsSpec("10.0.0.9:51820", { location: "Oslo" })),
      rsSite("missing", rsSpec("10.0.0.3:51820")),
      rsSite("deleting", rsSpec("10.0.0.4:51820"), true),
    ];
    const held = new Map<string, Record<string, unknown>>([
      ["same", rsSiteBody("same", rsSpec("10.0.0.1:51820"))],
      ["stale", rsSiteBody("stale", rsSpec("10.0.0.2:51820"))],
      ["deleting", rsSiteBody("deleting", rsSpec("10.0.0.4:51820"))],
      ["gone", rsSiteBody("gone", rsSpec("10.0.0.5:51820"))],
    ]);
    const got = rsMeshDisagreements(cluster, undefined, { sites: held });
    assert.deepEqual([...got].sort(), [
      ["site/gone", ["left in the mesh with no such object in the cluster"]],
      ["site/missing", ["not registered in the mesh"]],
      ["site/stale", ["mesh holds a different spec (location, wireguard.endpoints[0])"]],
    ]);
    assert.deepEqual([...got.values()].map((p) => classifyProblem(p[0]!)).sort(), [
      "leftOver",
      "mismatched",
      "missing",
    ]);
  });

  it("judges policies only when they were read", () => {
    const policy = {
      apiVersion: "sdwan.patronus.dev/v1alpha1",
      kind: "Policy",
      metadata: { name: "p", generation: 1 },
      spec: { priority: 5, match: {}, action: { type: "drop" } },
    } as CrObject;
    const sites = { sites: new Map() };
    assert.equal(rsMeshDisagreements([], [policy], sites).size, 0);
    assert.deepEqual(
      [...rsMeshDisagreements([], [policy], { ...sites, policies: new Map([["p", { priority: 6 }]]) })],
      [["policy/p", ["mesh holds a different policy (action, match, priority)"]]],
    );
  });

  it("names differing fields down to array items", () => {
    assert.deepEqual(differingFields({ a: { b: [1, 2] }, c: 1 }, { a: { b: [1, 3] }, c: 1 }), ["a.b[1]"]);
  });
});

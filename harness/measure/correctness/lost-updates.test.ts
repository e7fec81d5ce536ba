import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CrObject } from "../../load/kube/client.ts";
import type { LedgerEntry } from "../../load/objects/ledger.ts";
import patronusRs from "../../operators/builtin/patronus-rs/index.ts";
import { RunEventLog } from "../events/run-events.ts";
import type { MeasurementContext } from "../measurement.ts";
import { MetricStore } from "../metrics/store.ts";
import type { MeshSiteView, MeshView } from "../targets.ts";
import { type JudgedKinds, judgedKindsOf, LostUpdatesMeasurement } from "./lost-updates.ts";

const KEY = "YjE2OTNkMWQxYzYwZGU3ZWZhMDU4MWU3YzU4MTU4MD0=";
const API_VERSION = "sdwan.patronus.dev/v1alpha1";
const spec = (endpoint: string) => ({
  wireguard: { public_key: KEY, listen_port: 51820, endpoints: [endpoint] },
});
const body = (name: string, endpoint: string) => ({
  name,
  location: null,
  wireguard: { public_key: KEY, listen_port: 51820, endpoints: [endpoint] },
  resources: null,
  mesh: null,
});

/** An operator without Policy or Path resources and without observedGeneration (as patronus-rs). */
const KINDS: JudgedKinds = {
  site: {
    kind: "Site",
    apiVersion: API_VERSION,
    ready: (obj) => (obj.status as { phase?: string } | undefined)?.phase === "Active",
  },
};

function context(cluster: CrObject[], held: Array<[string, Record<string, unknown>]>, ledger: LedgerEntry[]) {
  const listed: string[] = [];
  const mesh: MeshView = {
    dialect: "patronus-rs",
    pid: () => undefined,
    events: async () => [],
    sites: async () => new Map<string, MeshSiteView>(held.map(([name, spec]) => [name, { name, spec }])),
  };
  const ctx = {
    namespace: "bench",
    store: new MetricStore(),
    events: new RunEventLog(),
    ledger: { all: () => ledger },
    objects: {
      list: async (kind: string, _ns: string, apiVersion: string) => {
        listed.push(`${apiVersion}/${kind}`);
        return { items: kind === "Site" ? cluster : [], resourceVersion: "1" };
      },
    },
    mesh,
  } as unknown as MeasurementContext;
  return { ctx, listed };
}

const site = (name: string, endpoint: string): CrObject =>
  ({
    apiVersion: API_VERSION,
    kind: "Site",
    metadata: { name, generation: 1 },
    spec: spec(endpoint),
    status: { phase: "Active" },
  }) as CrObject;
const entry = (name: string, endpoint: string, state: LedgerEntry["state"] = "live"): LedgerEntry => ({
  kind: "site",
  name,
  spec: spec(endpoint),
  generation: 1,
  state,
  busy: false,
});

describe("LostUpdatesMeasurement on a patronus-rs simulator", () => {
  it("counts a mismatched, a missing and a left-over site, names them, and lists no Path or Policy", async () => {
    const { ctx, listed } = context(
      [site("a", "10.0.0.1:51820"), site("b", "10.0.0.2:51820"), site("c", "10.0.0.3:51820")],
      [
        ["a", body("a", "10.0.0.1:51820")],
        ["b", body("b", "10.0.0.9:51820")],
        ["d", body("d", "10.0.0.4:51820")],
      ],
      [
        entry("a", "10.0.0.1:51820"),
        entry("b", "10.0.0.2:51820"),
        entry("c", "10.0.0.3:51820"),
        entry("d", "10.0.0.4:51820", "gone"),
      ],
    );
    await new LostUpdatesMeasurement({ settleMs: 0, kinds: KINDS }).stop(ctx);
    assert.equal(ctx.store.counterValue("lost_updates"), 3);
    assert.deepEqual(listed, [`${API_VERSION}/Site`], "only the kinds the operator has");
    const event = ctx.events.all().find((e) => e.kind === "lost-updates");
    assert.ok(event);
    assert.deepEqual(
      { mismatched: event.detail.mismatched, missing: event.detail.missing, leftOver: event.detail.leftOver },
      { mismatched: 1, missing: 1, leftOver: 1 },
    );
    assert.deepEqual((event.detail.first as string[]).sort(), [
      "site/b: mesh holds a different spec (wireguard.endpoints[0])",
      "site/c: not registered in the mesh",
      "site/d: left in the mesh with no such object in the cluster",
    ]);
  });

  it("finds nothing lost when the mesh holds every Site's body and the operator reports them Active", async () => {
    const { ctx } = context(
      [site("a", "10.0.0.1:51820")],
      [["a", body("a", "10.0.0.1:51820")]],
      [entry("a", "10.0.0.1:51820")],
    );
    await new LostUpdatesMeasurement({ settleMs: 0, kinds: KINDS }).stop(ctx);
    assert.equal(ctx.store.counterValue("lost_updates"), 0);
  });

  it("judges status by the operator's own rule", async () => {
    const failed = site("a", "10.0.0.1:51820");
    failed.status = { phase: "Failed" };
    const { ctx } = context([failed], [["a", body("a", "10.0.0.1:51820")]], [entry("a", "10.0.0.1:51820")]);
    await new LostUpdatesMeasurement({ settleMs: 0, kinds: KINDS }).stop(ctx);
    assert.equal(ctx.store.counterValue("lost_updates"), 1);
  });
});

describe("judgedKindsOf", () => {
  it("takes the kinds, group/version and rules of the operator's definition, and no Path it lacks", async () => {
    const kinds = judgedKindsOf(patronusRs);
    assert.equal(kinds.site.apiVersion, API_VERSION);
    assert.equal(kinds.path, undefined);
    assert.ok(kinds.policy);
    // The upstream operator publishes no observedGeneration: its Ready condition's time after the
    // write's acknowledgement is what says it caught up.
    const written = entry("a", "10.0.0.1:51820");
    written.acknowledged = Date.parse("2026-12-07T01:00:00Z");
    const obj = (at: string) => {
      const o = site("a", "10.0.0.1:51820");
      o.status = {
        phase: "Active",
        conditions: [{ type: "Ready", status: "True", last_transition_time: at }],
      };
      return o;
    };
    for (const [at, lost] of [
      ["2026-12-07T01:00:05Z", 0],
      ["2026-12-07T00:59:00Z", 1],
    ] as const) {
      const { ctx } = context([obj(at)], [["a", body("a", "10.0.0.1:51820")]], [written]);
      await new LostUpdatesMeasurement({ settleMs: 0, kinds }).stop(ctx);
      assert.equal(ctx.store.counterValue("lost_updates"), lost, at);
    }
  });
});

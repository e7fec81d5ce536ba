import assert from "node:assert/strict";
import { it } from "node:test";
import patronusRs from "../../operators/builtin/patronus-rs/index.ts";
import reference from "../../operators/builtin/reference/index.ts";
import type { OperatorDefinition } from "../../operators/definition.ts";
import { seededRandom } from "../../random/seeded.ts";
import { Expectations, observedState } from "./expectations.ts";

const referenceKinds = (reference as OperatorDefinition).kinds as Required<OperatorDefinition["kinds"]>;
const patronusRsKinds = (patronusRs as OperatorDefinition).kinds;

const ready = (gen: number, at: number) =>
  observedState(
    referenceKinds.Site,
    {
      metadata: { generation: gen },
      status: { observedGeneration: gen, conditions: [{ type: "Ready", status: "True" }] },
    },
    false,
    at,
  );
const notReady = (gen: number, at: number) =>
  observedState(
    referenceKinds.Site,
    {
      metadata: { generation: gen },
      status: { observedGeneration: gen, conditions: [{ type: "Ready", status: "False" }] },
    },
    false,
    at,
  );

it("measures create → Ready and update → observedGeneration caught up", () => {
  const e = new Expectations();
  assert.deepEqual(e.intent({ type: "create", kind: "site", name: "a", at: 100, generation: 1 }), []);
  assert.deepEqual(e.observe("site", "a", notReady(1, 150)), []);
  assert.deepEqual(e.observe("site", "a", ready(1, 400)), [
    { kind: "site", name: "a", type: "create", latencyMs: 300 },
  ]);
  e.intent({ type: "update", kind: "site", name: "a", at: 500, generation: 2 });
  // Ready, but the operator has not seen generation 2 yet: not met.
  assert.deepEqual(e.observe("site", "a", ready(1, 520)), []);
  assert.equal(e.observe("site", "a", ready(2, 700))[0]?.latencyMs, 200);
  assert.deepEqual(e.coverage(), { expected: 2, observed: 2 });
});

it("measures deletes, also when the DELETED event beats the response", () => {
  const e = new Expectations();
  e.intent({ type: "create", kind: "site", name: "b", at: 0, generation: 1 });
  e.observe("site", "b", ready(1, 10));
  e.observe("site", "b", observedState(referenceKinds.Site, {}, true, 60));
  const met = e.intent({ type: "delete", kind: "site", name: "b", at: 50 });
  assert.deepEqual(met, [{ kind: "site", name: "b", type: "delete", latencyMs: 10 }]);
  assert.equal(e.outstanding(), 0);
});

it("counts a create superseded by a delete as accounted, and unmet ones as missing", () => {
  const e = new Expectations();
  e.intent({ type: "create", kind: "site", name: "c", at: 0, generation: 1 });
  e.intent({ type: "delete", kind: "site", name: "c", at: 5 });
  e.intent({ type: "create", kind: "policy", name: "p", at: 0, generation: 1 });
  assert.equal(e.superseded, 1);
  assert.equal(e.outstanding("site"), 1);
  assert.deepEqual(e.missing(), ["site/c (delete)", "policy/p (create)"]);
  assert.deepEqual(e.coverage(), { expected: 2, observed: 0 });
  const applied = observedState(
    referenceKinds.Policy,
    {
      metadata: { generation: 1 },
      status: { observedGeneration: 1, conditions: [{ type: "Applied", status: "True" }] },
    },
    false,
    90,
  );
  assert.equal(e.observe("policy", "p", applied)[0]?.latencyMs, 90);
});

it("reports the oldest request still waiting, for backlog-drain measurements", () => {
  const e = new Expectations();
  assert.equal(e.oldestPending(), undefined);
  e.intent({ type: "create", kind: "site", name: "a", at: 100, generation: 1 });
  e.intent({ type: "create", kind: "site", name: "b", at: 200, generation: 1 });
  assert.equal(e.oldestPending(), 100);
  e.observe("site", "a", ready(1, 300));
  assert.equal(e.oldestPending(), 200);
});

it("measures a create whose Ready event beat the create response (a loaded harness reads the watch first)", () => {
  const e = new Expectations();
  // The request was sent at 100; the operator's Ready status arrived on the watch at 180, before
  // the harness processed the create's response and recorded the intent.
  e.observe("site", "d", ready(1, 180));
  assert.deepEqual(e.intent({ type: "create", kind: "site", name: "d", at: 100, generation: 1 }), [
    { kind: "site", name: "d", type: "create", latencyMs: 80 },
  ]);
  assert.equal(e.outstanding(), 0);
});

it("does not let a deleted object's Ready state satisfy the create of its successor", () => {
  const e = new Expectations();
  e.intent({ type: "create", kind: "site", name: "f", at: 0, generation: 1 });
  e.observe("site", "f", ready(1, 10));
  e.intent({ type: "delete", kind: "site", name: "f", at: 20 });
  e.observe("site", "f", observedState(referenceKinds.Site, {}, true, 30));
  assert.deepEqual(e.intent({ type: "create", kind: "site", name: "f", at: 40, generation: 1 }), []);
  assert.equal(e.outstanding("site"), 1);
  assert.equal(e.observe("site", "f", ready(1, 90))[0]?.latencyMs, 50);
});

it("a Ready object being deleted does not satisfy a create of the same name", () => {
  const e = new Expectations();
  e.intent({ type: "create", kind: "site", name: "g", at: 40, generation: 1 });
  const deleting = observedState(
    referenceKinds.Site,
    {
      metadata: { generation: 1, deletionTimestamp: "2026-11-26T07:00:00Z" },
      status: { observedGeneration: 1, conditions: [{ type: "Ready", status: "True" }] },
    },
    false,
    50,
  );
  assert.deepEqual(e.observe("site", "g", deleting), []);
  assert.equal(e.observe("site", "g", ready(1, 70))[0]?.latencyMs, 30);
});

it("tags each latency with the phase that made the request", () => {
  const e = new Expectations();
  e.intent({ type: "create", kind: "site", name: "h", at: 0, generation: 1 }, "populate");
  e.intent({ type: "create", kind: "site", name: "i", at: 5, generation: 1 });
  assert.equal(e.observe("site", "h", ready(1, 20))[0]?.phase, "populate");
  e.intent({ type: "update", kind: "site", name: "h", at: 30, generation: 2 }, "churn");
  assert.deepEqual(e.observe("site", "h", ready(2, 45)), [
    { kind: "site", name: "h", type: "update", latencyMs: 15, phase: "churn" },
  ]);
  assert.equal(e.observe("site", "i", ready(1, 50))[0]?.phase, undefined);
});

it("keeps outstanding() per kind and type equal to the pending expectations through random traffic", () => {
  const e = new Expectations();
  const random = seededRandom(3);
  const kinds = ["site", "policy"] as const;
  const types = ["create", "update", "delete"] as const;
  const gen = new Map<string, number>();
  /** The pending list, read back from missing(): "kind/name (type,type)". */
  const byWalk = (kind: (typeof kinds)[number], which: readonly string[]) => {
    let n = 0;
    for (const line of e.missing(Number.POSITIVE_INFINITY)) {
      const [key, list] = line.split(" (") as [string, string];
      if (!key.startsWith(`${kind}/`)) continue;
      n += list
        .slice(0, -1)
        .split(",")
        .filter((t) => which.includes(t)).length;
    }
    return n;
  };
  for (let t = 1; t < 4000; t++) {
    const kind = kinds[Math.floor(random() * 2)] as (typeof kinds)[number];
    const name = `o${Math.floor(random() * 8)}`;
    const k = `${kind}/${name}`;
    const u = random();
    if (u < 0.5) {
      const type = types[Math.floor(random() * 3)] as (typeof types)[number];
      const g = type === "delete" ? (gen.get(k) ?? 1) : (gen.get(k) ?? 0) + 1;
      gen.set(k, type === "delete" ? 0 : g);
      e.intent({ type, kind, name, at: t, generation: g });
    } else {
      const gone = random() < 0.2;
      const observed = Math.floor(random() * 4);
      const status = {
        observedGeneration: observed,
        conditions: [{ type: kind === "site" ? "Ready" : "Applied", status: "True" }],
      };
      e.observe(
        kind,
        name,
        observedState(
          referenceKinds[kind === "site" ? "Site" : "Policy"],
          { metadata: { generation: observed }, status },
          gone,
          t,
        ),
      );
    }
    for (const kind of kinds) {
      assert.equal(e.outstanding(kind), byWalk(kind, types), `step ${t}`);
      assert.equal(
        e.outstanding(kind, ["create", "update"]),
        byWalk(kind, ["create", "update"]),
        `step ${t}`,
      );
      assert.equal(e.outstanding(kind, ["delete"]), byWalk(kind, ["delete"]), `step ${t}`);
    }
    assert.equal(e.outstanding(), byWalk("site", types) + byWalk("policy", types));
  }
  assert.ok(e.met > 100, "the traffic must also meet expectations for the test to mean anything");
});

it("judges Ready, Failed and update-observed with the definition's predicates (no observedGeneration)", () => {
  const e = new Expectations();
  const site = (phase: string, stampMs: number, at: number, message = "") =>
    observedState(
      patronusRsKinds.Site,
      {
        metadata: { name: "s" },
        status: {
          phase,
          conditions: [
            {
              type: "Ready",
              status: phase === "Active" ? "True" : "False",
              message,
              last_transition_time: new Date(stampMs).toISOString(),
            },
          ],
        },
      },
      false,
      at,
    );
  const wall = (at: number) => performance.timeOrigin + at;
  e.intent({ type: "create", kind: "site", name: "s", at: 100, generation: 1 });
  assert.deepEqual(e.observe("site", "s", site("Pending", wall(120), 130)), []);
  assert.equal(e.observe("site", "s", site("Active", wall(190), 200))[0]?.latencyMs, 100);
  e.intent({ type: "update", kind: "site", name: "s", at: 300, generation: 2 });
  // Still Active, but the status was written before the update was sent: not observed yet.
  assert.deepEqual(e.observe("site", "s", site("Active", wall(190), 310)), []);
  assert.equal(e.observe("site", "s", site("Active", wall(350), 360))[0]?.latencyMs, 60);
});

it("stops waiting for an object reported Failed after its latest write, and counts it until it recovers", () => {
  const e = new Expectations();
  const failed = (gen: number, at: number) =>
    observedState(
      referenceKinds.Site,
      {
        metadata: { generation: gen },
        status: {
          phase: "Failed",
          observedGeneration: gen,
          conditions: [{ type: "Ready", status: "False", reason: "InvalidSpec", message: "too many links" }],
        },
      },
      false,
      at,
    );
  e.intent({ type: "create", kind: "site", name: "f", at: 0, generation: 1 });
  e.intent({ type: "create", kind: "site", name: "g", at: 0, generation: 1 });
  e.observe("site", "f", failed(1, 50));
  assert.equal(e.outstanding("site", ["create", "update"]), 2);
  assert.equal(e.failingCount("site", ["create", "update"]), 1);
  assert.deepEqual(e.failing(), [{ kind: "site", name: "f", message: "InvalidSpec: too many links" }]);
  // A new write the operator has not observed yet: f is in progress again, not failing.
  e.intent({ type: "update", kind: "site", name: "f", at: 60, generation: 2 });
  assert.equal(e.failingCount("site"), 0);
  e.observe("site", "f", failed(2, 80));
  assert.equal(e.failingCount("site"), 2, "both of f's expectations are held by a failing object");
  // It recovers: met, with the latency from its requests, and no longer failing.
  assert.equal(e.observe("site", "f", ready(2, 90)).length, 2);
  assert.equal(e.failingCount("site"), 0);
  assert.deepEqual(e.failing(), []);
});

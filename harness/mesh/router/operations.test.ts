import assert from "node:assert/strict";
import { test } from "node:test";
import type { Operation } from "../../../contract/patronus-api/v1.ts";
import { CompositeIds, parseShardOperationId, shardOperationId } from "./ids.ts";
import { combineOperations } from "./operations.ts";

const part = (sites: Operation["sites"], state: Operation["state"], convergedAt?: string): Operation => ({
  id: "op-000001",
  kind: "policy-apply",
  target: "voice",
  state,
  submittedAt: "2026-01-01T00:00:00.000Z",
  sites,
  ...(convergedAt ? { convergedAt } : {}),
});
const fan = { target: "voice", submittedAt: "2026-01-01T00:00:00.000Z", sites: ["s-3", "s-1", "s-2"] };

test("a policy operation over shards is Pending until every part converged, sites in policy order", () => {
  const pending = combineOperations("op-000009", fan, [
    part([{ site: "s-1", appliedAt: "2026-01-01T00:00:00.020Z" }], "Applied", "2026-01-01T00:00:00.020Z"),
    part([{ site: "s-3" }, { site: "s-2", appliedAt: "2026-01-01T00:00:00.030Z" }], "Pending"),
  ]);
  assert.equal(pending.state, "Pending");
  assert.equal(pending.convergedAt, undefined);
  assert.deepEqual(pending.sites, [
    { site: "s-3" },
    { site: "s-1", appliedAt: "2026-01-01T00:00:00.020Z" },
    { site: "s-2", appliedAt: "2026-01-01T00:00:00.030Z" },
  ]);
  const done = combineOperations("op-000009", fan, [
    part([{ site: "s-1", appliedAt: "2026-01-01T00:00:00.020Z" }], "Applied", "2026-01-01T00:00:00.020Z"),
    part(
      [
        { site: "s-3", appliedAt: "2026-01-01T00:00:00.050Z" },
        { site: "s-2", appliedAt: "2026-01-01T00:00:00.030Z" },
      ],
      "Applied",
      "2026-01-01T00:00:00.050Z",
    ),
  ]);
  assert.equal(done.state, "Applied");
  assert.equal(done.convergedAt, "2026-01-01T00:00:00.050Z", "converged when the last part did");
  assert.equal(done.id, "op-000009");
});

test("shard operation ids round-trip and never look like router ids", () => {
  assert.deepEqual(parseShardOperationId(shardOperationId(2, "op-000017")), { shard: 2, id: "op-000017" });
  assert.equal(parseShardOperationId("op-000017"), undefined);
});

test("composite ids map parts back and forget the oldest beyond their limit", () => {
  const ids = new CompositeIds<string>(2);
  ids.set(
    "fault-1",
    [
      { shard: 0, id: "fault-3" },
      { shard: 1, id: "fault-3" },
    ],
    "a",
  );
  ids.set("fault-2", [{ shard: 1, id: "fault-4" }], "b");
  assert.equal(ids.idOfPart(1, "fault-3"), "fault-1");
  ids.set("fault-5", [{ shard: 0, id: "fault-9" }], "c");
  assert.equal(ids.get("fault-1"), undefined);
  assert.equal(ids.idOfPart(0, "fault-3"), undefined);
  assert.equal(ids.idOfPart(0, "fault-9"), "fault-5");
});

import assert from "node:assert/strict";
import { it } from "node:test";
import { ObjectLedger } from "./ledger.ts";

it("reserves names for in-flight creates and frees a deleted name only once it is gone", () => {
  const ledger = new ObjectLedger();
  const seen: string[] = [];
  ledger.subscribe((i) => seen.push(`${i.type}:${i.name}:${i.generation ?? "-"}`));
  assert.equal(ledger.claim("site", "a"), true);
  assert.equal(ledger.claim("site", "a"), false, "a second create of the same name must wait");
  assert.equal(ledger.isBusy("site", "a"), true);
  ledger.accepted({ type: "create", kind: "site", name: "a", at: 1, generation: 1 }, { region: "r" });
  ledger.release("site", "a");
  assert.equal(ledger.isBusy("site", "a"), false);
  assert.equal(ledger.liveCount("site"), 1);
  ledger.accepted({ type: "update", kind: "site", name: "a", at: 2, generation: 2 }, { region: "s" });
  assert.deepEqual(ledger.get("site", "a")?.spec, { region: "s" });
  ledger.accepted({ type: "delete", kind: "site", name: "a", at: 3 });
  assert.equal(ledger.get("site", "a")?.state, "deleted");
  assert.equal(ledger.liveCount("site"), 0);
  ledger.gone("site", "a");
  assert.equal(ledger.get("site", "a")?.state, "gone");
  assert.deepEqual(seen, ["create:a:1", "update:a:2", "delete:a:-"]);
});

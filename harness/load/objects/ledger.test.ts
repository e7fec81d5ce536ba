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

it("keeps the live list in the live set's order and rebuilds it only when membership changes", () => {
  const ledger = new ObjectLedger();
  const create = (name: string) => ledger.accepted({ type: "create", kind: "site", name, at: 0 }, {});
  create("a");
  create("b");
  const v0 = ledger.liveVersion("site");
  const list = ledger.liveList("site");
  assert.deepEqual(list, ["a", "b"]);
  ledger.accepted({ type: "update", kind: "site", name: "a", at: 1, generation: 2 }, {});
  assert.equal(ledger.liveVersion("site"), v0, "an update does not change who is live");
  assert.equal(ledger.liveList("site"), list, "the same array is reused while membership is unchanged");
  ledger.accepted({ type: "delete", kind: "site", name: "a", at: 2 });
  assert.notEqual(ledger.liveVersion("site"), v0);
  assert.deepEqual(ledger.liveList("site"), ["b"]);
  create("a");
  assert.deepEqual(ledger.liveList("site"), [...ledger.liveNames("site")]);
  assert.deepEqual(ledger.liveList("site"), ["b", "a"]);
  assert.deepEqual(ledger.liveList("policy"), []);
});

it("tells name listeners about claims, releases, accepted changes and gones", () => {
  const ledger = new ObjectLedger();
  const heard: string[] = [];
  const off = ledger.onNameChange((kind, name) => heard.push(`${kind}/${name}`));
  ledger.claim("site", "a");
  ledger.accepted({ type: "create", kind: "site", name: "a", at: 0 }, {});
  ledger.release("site", "a");
  ledger.release("site", "a"); // nothing held: nothing changed
  ledger.accepted({ type: "delete", kind: "site", name: "a", at: 1 });
  ledger.gone("site", "a");
  ledger.gone("site", "a"); // already gone
  assert.deepEqual(heard, ["site/a", "site/a", "site/a", "site/a", "site/a"]);
  off();
  ledger.claim("site", "b");
  assert.equal(heard.length, 5);
});

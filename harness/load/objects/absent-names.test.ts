import assert from "node:assert/strict";
import { it } from "node:test";
import { seededRandom } from "../../random/seeded.ts";
import { AbsentNames } from "./absent-names.ts";
import { ObjectLedger } from "./ledger.ts";

/** The definition AbsentNames must agree with: a scan of the universe in order. */
function firstAbsentByScan(ledger: ObjectLedger, names: readonly string[]): string | undefined {
  for (const name of names) {
    if (ledger.isBusy("site", name)) continue;
    const entry = ledger.get("site", name);
    if (!entry || entry.state === "gone") return name;
  }
  return undefined;
}

it("gives the earliest name that was never created or is gone, skipping busy names", () => {
  const names = ["s0", "s1", "s2", "s3"];
  const ledger = new ObjectLedger();
  const absent = new AbsentNames(ledger, "site", names);
  assert.equal(absent.first(), "s0");
  ledger.claim("site", "s0");
  assert.equal(absent.first(), "s1", "a name with a create in flight is skipped");
  ledger.release("site", "s0");
  assert.equal(absent.first(), "s0", "a failed create leaves the name creatable");
  ledger.claim("site", "s0");
  ledger.accepted({ type: "create", kind: "site", name: "s0", at: 1, generation: 1 }, {});
  ledger.release("site", "s0");
  assert.equal(absent.first(), "s1");
  ledger.accepted({ type: "delete", kind: "site", name: "s0", at: 2 });
  assert.equal(absent.first(), "s1", "a deleted Site that is not gone yet cannot be created again");
  ledger.gone("site", "s0");
  assert.equal(absent.first(), "s0");
  ledger.accepted({ type: "create", kind: "policy", name: "s0", at: 3 }, {});
  assert.equal(absent.first(), "s0", "other kinds do not count");
  for (const n of names) ledger.accepted({ type: "create", kind: "site", name: n, at: 4 }, {});
  assert.equal(absent.first(), undefined);
});

it("agrees with a scan of the universe through random creates, failures, deletes and gones", () => {
  const names = Array.from({ length: 40 }, (_, i) => `site-${String(i).padStart(2, "0")}`);
  const ledger = new ObjectLedger();
  ledger.accepted({ type: "create", kind: "site", name: "site-05", at: 0 }, {});
  const absent = new AbsentNames(ledger, "site", names);
  const random = seededRandom(7);
  const inFlight = new Set<string>();
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];
  for (let step = 0; step < 5000; step++) {
    assert.equal(absent.first(), firstAbsentByScan(ledger, names), `step ${step}`);
    const u = random();
    if (u < 0.35) {
      const name = absent.first();
      if (name && ledger.claim("site", name)) inFlight.add(name);
    } else if (u < 0.6) {
      const name = pick([...inFlight]);
      if (!name) continue;
      inFlight.delete(name);
      if (random() < 0.8) ledger.accepted({ type: "create", kind: "site", name, at: step }, {});
      ledger.release("site", name);
    } else if (u < 0.8) {
      const name = pick(ledger.liveList("site").filter((n) => !ledger.isBusy("site", n)));
      if (name && ledger.claim("site", name)) {
        ledger.accepted({ type: "delete", kind: "site", name, at: step });
        ledger.release("site", name);
      }
    } else {
      const deleted = [...ledger.all()].filter((e) => e.state === "deleted");
      const e = pick(deleted);
      if (e) ledger.gone("site", e.name);
    }
  }
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Teardown } from "./teardown.ts";

describe("run teardown", () => {
  it("undoes steps last-in-first-out, also when the body throws, and logs failed steps", async () => {
    const done: string[] = [];
    const lines: string[] = [];
    await assert.rejects(async () => {
      await using teardown = new Teardown((l) => lines.push(l));
      teardown.defer("cluster", () => done.push("cluster"));
      teardown.defer("mesh", () => {
        throw new Error("gone already");
      });
      teardown.defer("operators", async () => {
        done.push("operators");
      });
      throw new Error("a phase failed");
    }, /a phase failed/);
    assert.deepEqual(done, ["operators", "cluster"]);
    assert.deepEqual(lines, ["teardown problems: mesh: gone already"]);
  });
});

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { REPO_ROOT } from "../../paths.ts";
import { main } from "../main.ts";

async function quietly(argv: string[]): Promise<number> {
  const log = console.log;
  console.log = () => {};
  try {
    return await main(argv);
  } finally {
    console.log = log;
  }
}

test("dashboards writes the shipped ones, or history, run and a given operator's from its definition file", async () => {
  const all = join(mkdtempSync(join(tmpdir(), "dashboards-")), "out");
  assert.equal(await quietly(["dashboards", "--out", all]), 0);
  assert.deepEqual(readdirSync(all).sort(), readdirSync(join(REPO_ROOT, "dashboards")).sort());

  const mine = mkdtempSync(join(tmpdir(), "dashboards-"));
  const file = join(REPO_ROOT, "examples", "operators", "reference-cpu-5pct.ts");
  assert.equal(await quietly(["dashboards", "--operator", file, "--out", mine]), 0);
  const written = readdirSync(mine).sort();
  assert.equal(written.length, 3);
  assert.deepEqual(written.slice(0, 1), ["history.json"]);
  const operator = written.find((f) => f.startsWith("operator-"));
  assert.equal(operator, "operator-reference-cpu-5pct.json");
  const dashboard = JSON.parse(readFileSync(join(mine, operator), "utf8")) as {
    panels: Array<{ title: string }>;
  };
  assert.ok(dashboard.panels.some((p) => p.title === "Reconciles"));

  const blocked = join(mine, "a-file");
  writeFileSync(blocked, "");
  const error = console.error;
  console.error = () => {};
  const stderr = process.stderr.write;
  process.stderr.write = (() => true) as never;
  try {
    assert.equal(await quietly(["dashboards", "--out", blocked]), 1);
  } finally {
    console.error = error;
    process.stderr.write = stderr;
  }
});

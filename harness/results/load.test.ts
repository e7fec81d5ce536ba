import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { HarnessError } from "../errors.ts";
import { loadRepeats, loadResults } from "./load.ts";
import { writeResults } from "./write.ts";

const fixtures = new URL("../../fixtures/results/", import.meta.url).pathname;

async function loadError(path: string): Promise<HarnessError> {
  try {
    await loadResults(path);
  } catch (err) {
    assert.ok(err instanceof HarnessError, `expected a HarnessError, got ${String(err)}`);
    return err;
  }
  assert.fail(`${path} loaded without an error`);
}

test("loads a run directory and a results file", async () => {
  const fromDir = await loadResults(join(fixtures, "scale-1000"));
  const fromFile = await loadResults(join(fixtures, "scale-1000", "results.json"));
  assert.equal(fromDir.run.scenario, "scale-1000");
  assert.deepEqual(fromDir, fromFile);
});

test("an older schemaVersion names both versions and what to do", async () => {
  const err = await loadError(join(fixtures, "bad", "schema-v0.json"));
  assert.match(err.message, /schemaVersion 0, older than the schemaVersion 1/);
  assert.match(err.fix ?? "", /re-run the scenario/);
});

test("a newer schemaVersion names both versions and says to upgrade", async () => {
  const err = await loadError(join(fixtures, "bad", "schema-v3.json"));
  assert.match(err.message, /schemaVersion 3, newer than the schemaVersion 2/);
  assert.match(err.fix ?? "", /upgrade patronus-bench/);
});

test("truncated JSON is reported as such", async () => {
  const err = await loadError(join(fixtures, "bad", "truncated.json"));
  assert.match(err.message, /not valid JSON \(it looks truncated\)/);
});

test("a missing field is named by its path", async () => {
  const err = await loadError(join(fixtures, "bad", "missing-field.json"));
  assert.match(err.message, /metrics\.path_failover_convergence\.p99: .*expected number/);
});

test("a directory without results.json and a missing path are clear errors", async () => {
  assert.match((await loadError(join(fixtures, "bad"))).message, /directory without results\.json/);
  assert.match((await loadError(join(fixtures, "nope"))).message, /results not found/);
});

test("loadRepeats returns repeat-<i> in numeric order, or the single file", async () => {
  const repeats = await loadRepeats(join(fixtures, "churn-aa-base"));
  assert.deepEqual(
    repeats.map((r) => r.run.repeat?.index),
    [1, 2, 3, 4, 5],
  );
  assert.equal((await loadRepeats(join(fixtures, "churn"))).length, 1);
});

test("writeResults validates, writes atomically and round-trips", async () => {
  const dir = await mkdtemp(join(tmpdir(), "results-write-"));
  try {
    const results = await loadResults(join(fixtures, "churn"));
    const path = await writeResults(dir, results);
    assert.deepEqual(await readdir(dir), ["results.json"]);
    assert.deepEqual(await loadResults(path), results);
    const broken = { ...results, verdict: "maybe" } as unknown as typeof results;
    await assert.rejects(writeResults(dir, broken), /refusing to write invalid results .*verdict/);
    assert.deepEqual(JSON.parse(await readFile(path, "utf8")).verdict, results.verdict);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a non-object or a file without schemaVersion is not a results file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "results-bad-"));
  try {
    await writeFile(join(dir, "a.json"), "[1,2]");
    await writeFile(join(dir, "b.json"), '{"hello": 1}');
    assert.match((await loadError(join(dir, "a.json"))).message, /expected a JSON object/);
    assert.match((await loadError(join(dir, "b.json"))).message, /no schemaVersion/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a benchmark script's output is named as such", async () => {
  const dir = await mkdtemp(join(tmpdir(), "results-bench-"));
  try {
    await writeFile(
      join(dir, "results.json"),
      JSON.stringify({ schemaVersion: 1, kind: "bench-mesh", metrics: {} }),
    );
    assert.match((await loadError(dir)).message, /output of a "bench-mesh" benchmark script/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

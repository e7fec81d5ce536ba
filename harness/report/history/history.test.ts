import assert from "node:assert/strict";
import { appendFile, cp, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../cli/main.ts";
import { loadResults } from "../../results/load.ts";
import { appendHistory, readHistory } from "./index-file.ts";
import { rebuildHistory, renderHistory } from "./render.ts";

const fixtures = new URL("../../../fixtures/results/", import.meta.url).pathname;

test("runs append one line each; the trend page charts each scenario", async () => {
  const dir = await mkdtemp(join(tmpdir(), "history-"));
  try {
    const index = join(dir, "history.jsonl");
    for (const name of ["churn-aa-base", "churn-aa-head", "churn-slow-head"]) {
      for (let i = 1; i <= 2; i++)
        await appendHistory(index, await loadResults(join(fixtures, name, `repeat-${i}`)));
    }
    await appendHistory(index, await loadResults(join(fixtures, "scale-1000")));
    const text = await readFile(index, "utf8");
    assert.equal(text.trim().split("\n").length, 7);
    const { entries, warnings } = await readHistory(index);
    assert.deepEqual(warnings, []);
    assert.equal(entries.filter((e) => e.scenario === "churn").length, 6);
    assert.ok(entries.every((e, i) => i === 0 || entries[i - 1]!.startedAt <= e.startedAt));

    const out = join(dir, "page");
    const page = await renderHistory(index, out, { png: false });
    assert.deepEqual(page.scenarios.sort(), ["churn", "scale-1000"]);
    const svg = await readFile(join(out, "charts", "trend-churn.svg"), "utf8");
    assert.match(svg, /site_ready_latency p99 \(ms\)/);
    assert.match(svg, /role-mark/);
    const html = await readFile(join(out, "index.html"), "utf8");
    assert.match(html, /churn — 6 run\(s\)/);
    assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/);
    assert.match(await readFile(join(out, "summary.md"), "utf8"), /### scale-1000 — 1 run\(s\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a torn last line and a foreign line are skipped with a warning naming the line", async () => {
  const dir = await mkdtemp(join(tmpdir(), "history-"));
  try {
    const index = join(dir, "history.jsonl");
    await appendHistory(index, await loadResults(join(fixtures, "churn")));
    await appendFile(index, '{"v":2,"runId":"from-the-future"}\n{"v":1,"runId":"cut');
    const { entries, warnings } = await readHistory(index);
    assert.equal(entries.length, 1);
    assert.match(warnings[0]!, /history\.jsonl:2: skipped an entry that does not match/);
    assert.match(warnings[1]!, /history\.jsonl:3: skipped a truncated last line/);
    await assert.rejects(readHistory(join(dir, "nope.jsonl")), /history index not found/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("--rebuild indexes run directories, skipping bad ones and the latest symlink", async () => {
  const dir = await mkdtemp(join(tmpdir(), "history-"));
  try {
    await cp(join(fixtures, "churn"), join(dir, "churn-1"), { recursive: true });
    await cp(join(fixtures, "failover-path"), join(dir, "failover-1"), { recursive: true });
    await cp(join(fixtures, "bad"), join(dir, "broken"), { recursive: true });
    await cp(join(fixtures, "bad", "truncated.json"), join(dir, "broken", "results.json"));
    await symlink(join(dir, "churn-1"), join(dir, "latest"));
    const { count, warnings } = await rebuildHistory(dir);
    assert.equal(count, 2);
    assert.match(warnings.join("\n"), /skipped .*broken\/results\.json: .*truncated/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("CLI: history --append adds runs to the index and renders the page", async () => {
  const dir = await mkdtemp(join(tmpdir(), "history-cli-"));
  const log = console.log;
  console.log = () => {};
  try {
    const code = await main([
      "history",
      dir,
      "--append",
      join(fixtures, "churn"),
      "--append",
      join(fixtures, "failover-path"),
      "--no-png",
    ]);
    assert.equal(code, 0);
    const { entries } = await readHistory(join(dir, "history.jsonl"));
    assert.deepEqual(entries.map((e) => e.scenario).sort(), ["churn", "failover-path"]);
    assert.match(await readFile(join(dir, "history", "index.html"), "utf8"), /failover-path — 1 run\(s\)/);
  } finally {
    console.log = log;
    await rm(dir, { recursive: true, force: true });
  }
});

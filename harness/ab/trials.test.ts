import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../test/in-process-cli.ts";
import { REPO_ROOT } from "../paths.ts";
import { loadRepeats } from "../results/load.ts";
import { splitIntoTrials } from "./trials.ts";
import { formatTrialsMarkdown, formatTrialsTable } from "./trials-format.ts";

const fixtures = join(REPO_ROOT, "fixtures", "results");
const labels = { base: "base", head: "head", scenario: "churn" };

test("an A/A cut into trials: consecutive disjoint blocks, none regressed, every figure tallied once per trial", async () => {
  const base = await loadRepeats(join(fixtures, "churn-aa-base"));
  const head = await loadRepeats(join(fixtures, "churn-aa-head"));
  const t = splitIntoTrials([{ base: [...base, base[0]!], head: [...head, head[0]!] }], 3, labels);
  assert.deepEqual(
    t.trials.map((x) => x.pairs),
    [
      [1, 3],
      [4, 6],
    ],
  );
  assert.equal(t.leftOver, 0);
  assert.equal(t.counts.regressed, 0);
  assert.equal(
    Object.values(t.counts).reduce((s, n) => s + n, 0),
    2,
  );
  assert.ok(t.metrics.length > 5);
  for (const m of t.metrics)
    assert.equal(
      Object.values(m.counts).reduce((s, n) => s + n, 0),
      2,
      `${m.metric} ${m.stat}`,
    );
  assert.match(formatTrialsTable(t), /^2 trial\(s\) of 3 pair\(s\) each: regressed in 0 of 2/);
  // Two trials bound a rate loosely: none regressed is still up to 66 %.
  assert.match(
    formatTrialsTable(t),
    /\nRates at 95 % \(Wilson\): regressed 0 of 2, 0 %–66 %; unchanged \d of 2, /,
  );
});

test("a slow head is seen as regressed in each trial; pairs that make no whole trial are left out and said", async () => {
  const base = await loadRepeats(join(fixtures, "churn-aa-base"));
  const head = await loadRepeats(join(fixtures, "churn-slow-head"));
  const t = splitIntoTrials([{ base, head }], 3, labels, { gate: ["site_ready_latency"] });
  assert.equal(t.trials.length, 1);
  assert.equal(t.leftOver, 2);
  assert.equal(t.counts.regressed, 1);
  const p99 = t.metrics.find((m) => m.metric === "site_ready_latency" && m.stat === "p99");
  assert.equal(p99?.counts.regressed, 1);
  const md = formatTrialsMarkdown(t, "m");
  assert.match(md, /the last 2 pair\(s\) make no whole trial and are left out/);
  assert.match(md, /\| site_ready_latency \| p99 \| 1 \| 0 \| 0 \| 0 \|/);
});

/** An A/B directory as `ab` writes it: `pairs` pairs of the same run, refs as given. */
async function abDir(root: string, name: string, pairs: number, ref: string): Promise<string> {
  const dir = join(root, name);
  const run = join(fixtures, "churn", "results.json");
  const order: string[] = [];
  for (let k = 1; k <= pairs; k++)
    for (const side of ["base", "head"]) {
      await mkdir(join(dir, side, `repeat-${k}`), { recursive: true });
      await cp(run, join(dir, side, `repeat-${k}`, "results.json"));
      order.push(`${side}/repeat-${k}`);
    }
  await writeFile(
    join(dir, "ab.json"),
    JSON.stringify({ abSchemaVersion: 1, scenario: "churn", order, base: { ref }, head: { ref } }),
  );
  return dir;
}

test("CLI: ab-analyze --trials answers each block and exits 0; a trial smaller than 3 pairs is refused", async () => {
  const root = await mkdtemp(join(tmpdir(), "ab-trials-"));
  try {
    const dir = await abDir(root, "aa", 6, "a");
    const ok = await runCli(["ab-analyze", dir, "--trials", "3", "--gate", "site_ready_latency"]);
    assert.equal(ok.code, 0);
    assert.match(
      ok.out,
      /^2 trial\(s\) of 3 pair\(s\) each: regressed in 0 of 2, improved in 0 of 2, unchanged in 2 of 2/,
    );
    assert.match(ok.out, /\nGated: site_ready_latency \(\d+ figure\(s\) with their statistics\)\n/);
    const two = await runCli(["ab-analyze", dir, "--trials", "2"]);
    assert.equal(two.code, 1);
    assert.match(two.errors, /--trials 2: a trial needs 3 to 6 pairs \(this A\/B has 6\)/);
    const seven = await runCli(["ab-analyze", dir, "--trials", "7"]);
    assert.equal(seven.code, 1);
    assert.match(seven.errors, /--trials 7: a trial needs 3 to 6 pairs/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("CLI: several A/Bs of the same refs are cut alike and counted together; others are refused", async () => {
  const root = await mkdtemp(join(tmpdir(), "ab-trials-"));
  try {
    const monday = await abDir(root, "aa-mon", 6, "a");
    const tuesday = await abDir(root, "aa-tue", 4, "a");
    const other = await abDir(root, "ab-other", 3, "b");
    const both = await runCli([
      "ab-analyze",
      monday,
      tuesday,
      "--trials",
      "3",
      "--gate",
      "site_ready_latency",
    ]);
    assert.equal(both.code, 0, both.errors);
    assert.match(
      both.out,
      /^3 trial\(s\) of 3 pair\(s\) each from 2 A\/Bs: regressed in 0 of 3, improved in 0 of 3, unchanged in 3 of 3, inconclusive in 0 of 3; 1 pair\(s\) at the A\/Bs' ends make no whole trial/,
    );
    // Each trial says which A/B it is from, its pairs numbered within that A/B.
    assert.match(both.out, /aa-mon 1–3.*\n.*aa-mon 4–6.*\n.*aa-tue 1–3/);

    const mixed = await runCli(["ab-analyze", monday, other, "--trials", "3"]);
    assert.equal(mixed.code, 1);
    assert.match(
      mixed.errors,
      /ab-other: head b against base b on churn, but .*aa-mon: head a against base a/,
    );
    const untrialled = await runCli(["ab-analyze", monday, tuesday]);
    assert.equal(untrialled.code, 1);
    assert.match(untrialled.errors, /2 directories, but one A\/B is answered at a time/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

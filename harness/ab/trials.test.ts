import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../cli/main.ts";
import { REPO_ROOT } from "../paths.ts";
import { loadRepeats } from "../results/load.ts";
import { splitIntoTrials } from "./trials.ts";
import { formatTrialsMarkdown, formatTrialsTable } from "./trials-format.ts";

const fixtures = join(REPO_ROOT, "fixtures", "results");
const labels = { base: "base", head: "head", scenario: "churn" };

test("an A/A cut into trials: consecutive disjoint blocks, none regressed, every figure tallied once per trial", async () => {
  const base = await loadRepeats(join(fixtures, "churn-aa-base"));
  const head = await loadRepeats(join(fixtures, "churn-aa-head"));
  const t = splitIntoTrials([...base, base[0]!], [...head, head[0]!], 3, labels);
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
});

test("a slow head is seen as regressed in each trial; pairs that make no whole trial are left out and said", async () => {
  const base = await loadRepeats(join(fixtures, "churn-aa-base"));
  const head = await loadRepeats(join(fixtures, "churn-slow-head"));
  const t = splitIntoTrials(base, head, 3, labels, { gate: ["site_ready_latency"] });
  assert.equal(t.trials.length, 1);
  assert.equal(t.leftOver, 2);
  assert.equal(t.counts.regressed, 1);
  const p99 = t.metrics.find((m) => m.metric === "site_ready_latency" && m.stat === "p99");
  assert.equal(p99?.counts.regressed, 1);
  const md = formatTrialsMarkdown(t, "m");
  assert.match(md, /the last 2 pair\(s\) make no whole trial and are left out/);
  assert.match(md, /\| site_ready_latency \| p99 \| 1 \| 0 \| 0 \| 0 \|/);
});

test("CLI: ab-analyze --trials answers each block and exits 0; a trial smaller than 3 pairs is refused", async () => {
  const dir = await mkdtemp(join(tmpdir(), "ab-trials-"));
  const out: string[] = [];
  const errors: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const error = console.error;
  try {
    const run = join(fixtures, "churn", "results.json");
    const order: string[] = [];
    for (const k of [1, 2, 3, 4, 5, 6]) {
      for (const side of ["base", "head"]) {
        await mkdir(join(dir, side, `repeat-${k}`), { recursive: true });
        await cp(run, join(dir, side, `repeat-${k}`, "results.json"));
        order.push(`${side}/repeat-${k}`);
      }
    }
    await writeFile(
      join(dir, "ab.json"),
      JSON.stringify({
        abSchemaVersion: 1,
        scenario: "churn",
        order,
        base: { ref: "a" },
        head: { ref: "a" },
      }),
    );
    process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    console.error = (...a: unknown[]) => void errors.push(a.join(" "));
    assert.equal(await main(["ab-analyze", dir, "--trials", "3", "--gate", "site_ready_latency"]), 0);
    assert.equal(await main(["ab-analyze", dir, "--trials", "2"]), 1);
    assert.equal(await main(["ab-analyze", dir, "--trials", "7"]), 1);
  } finally {
    process.stdout.write = write;
    console.error = error;
    await rm(dir, { recursive: true, force: true });
  }
  assert.match(
    out.join(""),
    /^2 trial\(s\) of 3 pair\(s\) each: regressed in 0 of 2, improved in 0 of 2, unchanged in 2 of 2/,
  );
  assert.match(out.join(""), /\nGated: site_ready_latency \(\d+ figure\(s\) with their statistics\)\n/);
  assert.match(errors.join("\n"), /--trials 2: a trial needs 3 to 6 pairs \(this A\/B has 6\)/);
  assert.match(errors.join("\n"), /--trials 7: a trial needs 3 to 6 pairs/);
});

import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../../test/in-process-cli.ts";
import { distributionFromBuckets } from "../../measure/scrape/histogram-buckets.ts";
import { SeededRandom } from "../../random/seeded.ts";
import { loadRepeats } from "../../results/load.ts";
import type { Results } from "../../results/schema.ts";
import { churnRepeats } from "../../results/synthetic/fixtures.ts";
import { compareRuns, holmAdjust } from "./compare.ts";
import { formatComparison } from "./format.ts";
import { bucketWidthAt } from "./resolution.ts";

const fixtures = new URL("../../../fixtures/results/", import.meta.url).pathname;
const side = async (name: string) => ({ label: name, runs: await loadRepeats(join(fixtures, name)) });

test("A/A: repeats from the same distribution are unchanged on every gated metric", async () => {
  const pairs: Array<[Results[], Results[]]> = [
    [(await side("churn-aa-base")).runs, (await side("churn-aa-head")).runs],
    [churnRepeats(500, 1, "2026-11-22T00:00:00Z"), churnRepeats(600, 1, "2026-11-22T01:00:00Z")],
    [churnRepeats(700, 1, "2026-11-22T02:00:00Z"), churnRepeats(800, 1, "2026-11-22T03:00:00Z")],
  ];
  for (const [base, head] of pairs) {
    const c = compareRuns({ label: "base", runs: base }, { label: "head", runs: head });
    const gated = c.rows.filter((r) => r.gated);
    assert.ok(gated.length >= 10, `expected the churn metrics to be gated, got ${gated.length}`);
    for (const r of gated)
      assert.equal(r.verdict, "unchanged", `${r.metric} ${r.stat}: ${JSON.stringify(r)}`);
    assert.equal(c.verdict, "pass");
    assert.ok(gated.every((r) => r.test === "welch-t" && r.ciPercent !== null));
  }
});

test("a deliberate 30 % slowdown is regressed on every latency, with intervals excluding zero", async () => {
  const c = compareRuns(await side("churn-aa-base"), await side("churn-slow-head"));
  for (const metric of ["site_ready_latency", "update_observed_latency", "delete_latency"]) {
    for (const stat of ["p50", "p99"]) {
      const r = c.rows.find((x) => x.metric === metric && x.stat === stat)!;
      assert.equal(r.verdict, "regressed", `${metric} ${stat}`);
      assert.ok(
        r.ciPercent![0] > 0 && r.changePercent! > 15 && r.changePercent! < 45,
        `${metric} ${stat}: ${r.changePercent}`,
      );
    }
  }
  assert.equal(c.rows.find((r) => r.metric === "achieved_rate")?.verdict, "unchanged");
  assert.equal(c.verdict, "fail");
});

test("direction-aware: the slow side as base makes latencies improved; a lower achieved rate regresses", async () => {
  const c = compareRuns(await side("churn-slow-head"), await side("churn-aa-base"));
  assert.equal(
    c.rows.find((r) => r.metric === "site_ready_latency" && r.stat === "p99")?.verdict,
    "improved",
  );
  assert.equal(c.verdict, "pass");
  const base = (await side("churn-aa-base")).runs;
  const slower = base.map((r) => {
    const achieved = r.metrics.achieved_rate;
    assert.ok(achieved?.type === "series");
    return {
      ...r,
      metrics: {
        ...r.metrics,
        achieved_rate: {
          ...achieved,
          points: achieved.points.map(([t, v]) => [t, v * 0.8] as [number, number]),
        },
      },
    };
  });
  const rate = compareRuns({ label: "base", runs: base }, { label: "head", runs: slower }).rows.find(
    (r) => r.metric === "achieved_rate",
  );
  assert.equal(rate?.verdict, "regressed");
});

test("a significant change below the minimum effect stays unchanged; the budget decides the exit", async () => {
  const c = compareRuns(await side("churn-aa-base"), await side("churn-slow-head"), { minEffectPercent: 50 });
  assert.ok(c.rows.every((r) => r.verdict !== "regressed"));
  const loose = compareRuns(await side("churn-aa-base"), await side("churn-slow-head"), {
    budgetPercent: 60,
  });
  assert.ok(loose.rows.some((r) => r.verdict === "regressed"));
  assert.equal(loose.verdict, "pass");
  const gatedOnRss = compareRuns(await side("churn-aa-base"), await side("churn-slow-head"), {
    gate: ["operator_rss_bytes"],
  });
  assert.equal(gatedOnRss.verdict, "pass");
});

test("single runs use the raw histogram samples: A/A unchanged, a slowdown inconclusive — never regressed", async () => {
  const aa = compareRuns(await side("churn-aa-base/repeat-1"), await side("churn-aa-head/repeat-1"));
  const latencies = aa.rows.filter((r) => r.test === "percentile-ci+mann-whitney");
  assert.ok(latencies.length >= 6);
  assert.ok(latencies.every((r) => r.verdict === "unchanged"));
  assert.match(aa.warnings.join(" "), /fewer than 2 repeats.*--repeat 3/);
  const slow = compareRuns(await side("churn-aa-base/repeat-1"), await side("churn-slow-head/repeat-1"));
  const p99 = slow.rows.find((r) => r.metric === "site_ready_latency" && r.stat === "p99");
  assert.equal(p99?.verdict, "inconclusive");
  assert.match(p99?.note ?? "", /needs ≥ 3 repeats per side/);
  assert.ok(slow.rows.every((r) => r.verdict !== "regressed" && r.verdict !== "improved"));
  assert.equal(slow.regressions.length, 0);
  assert.equal(slow.verdict, "inconclusive");
  assert.match(formatComparison(slow, "table"), /^INCONCLUSIVE:/);
});

test("a figure from histogram buckets: one bucket apart is unchanged, several buckets apart regressed", async () => {
  const template = (await side("churn")).runs[0]!;
  // kube-apiserver's bounds (s); every DELETE of a side lands in one bucket, so each side is constant.
  const bounds = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1];
  const latency = (le: number) =>
    distributionFromBuckets(bounds.map((b) => [b, b === le ? 40 : 0] as [number, number])).toMetric();
  const key = 'apiserver_request_latency{resource="paths",verb="DELETE"}';
  const runs = (le: number) =>
    Array.from({ length: 3 }, () => ({ ...template, metrics: { [key]: latency(le) } }));
  const near = compareRuns({ label: "a", runs: runs(0.025) }, { label: "b", runs: runs(0.05) });
  const p50 = near.rows.find((r) => r.stat === "p50")!;
  assert.equal(p50.changePercent !== null && p50.changePercent > 90, true); // 25 → 50 ms
  assert.equal(p50.verdict, "unchanged");
  assert.match(p50.note ?? "", /within one histogram bucket \(25 ms wide\)/);
  const far = compareRuns({ label: "a", runs: runs(0.025) }, { label: "b", runs: runs(0.2) });
  assert.equal(far.rows.find((r) => r.stat === "p50")?.verdict, "regressed");
});

test("bucket width: from the bound below to the bound at or above the value", () => {
  assert.equal(bucketWidthAt([5, 25, 50, 100], 50), 25);
  assert.equal(bucketWidthAt([5, 25, 50, 100], 5), 5);
  assert.equal(bucketWidthAt([5, 25, 50, 100], 49.98), 25);
  assert.equal(bucketWidthAt([5, 25], 40), 15);
});

test("a metric missing on one side is reported as missing, not a crash", async () => {
  const c = compareRuns(await side("sparse"), await side("churn"));
  const r = c.rows.find((x) => x.metric === "update_observed_latency");
  assert.equal(r?.verdict, "missing");
  assert.match(r?.note ?? "", /not recorded in base/);
  for (const f of ["table", "markdown", "json"] as const)
    assert.ok(formatComparison(c, f).includes("update_observed_latency"));
});

test("CLI: exit 99 on a regression beyond the budget, 0 for A/A, outputs written", async () => {
  const out = await mkdtemp(join(tmpdir(), "compare-"));
  try {
    const slow = await runCli([
      "compare",
      join(fixtures, "churn-aa-base"),
      join(fixtures, "churn-slow-head"),
      "--out",
      out,
      "--no-png",
    ]);
    assert.equal(slow.code, 99);
    assert.match(slow.out + slow.errors, /gated metric\(s\) regressed beyond the 10 % budget/);
    const aa = await runCli([
      "compare",
      join(fixtures, "churn-aa-base"),
      join(fixtures, "churn-aa-head"),
      "--format",
      "json",
    ]);
    assert.equal(aa.code, 0);
    assert.match(await readFile(join(out, "comparison.svg"), "utf8"), /site_ready_latency p99/);
    assert.equal(JSON.parse(await readFile(join(out, "comparison.json"), "utf8")).verdict, "fail");
    const newer = await runCli(["compare", join(fixtures, "bad/schema-v3.json"), join(fixtures, "churn")]);
    assert.equal(newer.code, 1);
    assert.match(newer.out + newer.errors, /schemaVersion 3, newer than/);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test("Holm's adjustment matches R's p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm')", () => {
  assert.deepEqual(
    holmAdjust([0.01, 0.04, 0.03, 0.005]).map((p) => Math.round(p * 1e6) / 1e6),
    [0.03, 0.06, 0.06, 0.02],
  );
});

test("noisy A/A (CV 40 %, 15 metrics, 5 repeats): Holm keeps false alarms near α, uncorrected does not", async () => {
  const template = (await side("churn")).runs[0]!;
  const random = new SeededRandom(99);
  const repeats = (n: number) =>
    Array.from({ length: n }, () => ({
      ...template,
      metrics: Object.fromEntries(
        Array.from({ length: 15 }, (_, m) => [
          `metric_${m}_latency`,
          { type: "gauge" as const, unit: "ms", value: random.logNormal(100, 0.4) },
        ]),
      ),
    }));
  let corrected = 0;
  let uncorrected = 0;
  const trials = 200;
  for (let i = 0; i < trials; i++) {
    const base = { label: "a", runs: repeats(5) };
    const head = { label: "b", runs: repeats(5) };
    if (compareRuns(base, head).verdict === "fail") corrected++;
    if (compareRuns(base, head, { correction: "none" }).verdict === "fail") uncorrected++;
  }
  assert.ok(corrected / trials <= 0.08, `Holm: ${corrected}/${trials} A/A comparisons failed`);
  assert.ok(uncorrected > corrected * 2, `uncorrected ${uncorrected} vs Holm ${corrected}`);
});

/**
 * The ci/ scripts end to end on this machine with the smallest real benchmark (smoke, one repeat,
 * embedded control plane): the nightly script writes the run, the history entry and the job summary;
 * the pre-release gate compares with a baseline and writes its table and the next baseline, and
 * refuses to start without one; the PR script compares with given base results. Budgets are set
 * wide so the outcome does not depend on this shared machine's noise — the regression verdicts
 * themselves are the report helper's tests.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { REPO_ROOT } from "../../../harness/paths.ts";

const script = (name: string) => join(REPO_ROOT, "ci", name);

/** A run's verdict and the exit code the scripts pass on (a busy machine makes it inconclusive). */
const EXIT_OF: Record<string, number> = { pass: 0, fail: 99, inconclusive: 98 };

describe("ci/ scripts with the smoke scenario", { timeout: 900_000 }, () => {
  let dir: string;
  let nightly: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "ci-scripts-"));
    nightly = join(dir, "nightly");
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("nightly.sh: run, report, history entry and job summary; exit is the run's verdict", async () => {
    const summary = join(dir, "nightly-summary.md");
    const r = await execa(script("nightly.sh"), {
      env: {
        SCENARIO: "smoke",
        REPEATS: "1",
        CLUSTER: "embedded",
        OUT_DIR: nightly,
        HISTORY_DIR: join(dir, "history"),
        GITHUB_STEP_SUMMARY: summary,
      },
      reject: false,
      all: true,
    });
    const results = JSON.parse(await readFile(join(nightly, "results.json"), "utf8")) as { verdict: string };
    assert.equal(r.exitCode, EXIT_OF[results.verdict], r.all?.slice(-2000));
    const text = await readFile(summary, "utf8");
    assert.match(text, /patronus-bench `smoke`/);
    assert.match(text, /### Thresholds/);
    const history = (await readFile(join(dir, "history", "history.jsonl"), "utf8")).trim().split("\n");
    assert.equal(history.length, 1);
    assert.ok(existsSync(join(dir, "history", "history", "summary.md")));
  });

  it("pre-release-gate.sh refuses to start without the previous release's baseline", async () => {
    const r = await execa(script("pre-release-gate.sh"), {
      env: {
        TAG: "v9.9.9",
        BASELINE_TAG: "v9.9.8",
        SCENARIOS: "smoke",
        BASELINE_ROOT: join(dir, "baselines"),
      },
      reject: false,
      all: true,
    });
    assert.equal(r.exitCode, 1);
    assert.match(r.all ?? "", /no baseline .*v9\.9\.8\/smoke\/results\.json/);
  });

  it("pre-release-gate.sh: runs, compares with the baseline, writes the gate table and the next baseline", async () => {
    await cp(nightly, join(dir, "baselines", "v9.9.8", "smoke"), {
      recursive: true,
      filter: (src) => !src.includes("charts"),
    });
    const out = join(dir, "gate");
    const summary = join(dir, "gate-summary.md");
    const r = await execa(script("pre-release-gate.sh"), {
      env: {
        TAG: "v9.9.9",
        BASELINE_TAG: "v9.9.8",
        SCENARIOS: "smoke",
        BASELINE_ROOT: join(dir, "baselines"),
        CLUSTER: "embedded",
        REPEATS: "1",
        BUDGET: "100000",
        OUT_DIR: out,
        GITHUB_STEP_SUMMARY: summary,
      },
      reject: false,
      all: true,
    });
    const results = JSON.parse(await readFile(join(out, "smoke", "results.json"), "utf8")) as {
      verdict: string;
    };
    const table = await readFile(join(out, "gate.md"), "utf8");
    assert.match(table, /### Pre-release gate v9\.9\.9 \(baseline: v9\.9\.8/);
    assert.match(table, /\| smoke \| embedded \| (pass|\*\*FAIL\*\*|inconclusive [^|]*) \| no regression \|/);
    assert.equal(r.exitCode, EXIT_OF[results.verdict], r.all?.slice(-2000));
    assert.ok(existsSync(join(out, "baseline", "smoke", "results.json")), "candidate baseline written");
    assert.match(await readFile(summary, "utf8"), /Benchmark comparison/);
  });

  it("pr-bench.sh compares the head run with given base results in the job summary", async () => {
    const out = join(dir, "pr");
    const summary = join(dir, "pr-summary.md");
    const r = await execa(script("pr-bench.sh"), {
      env: {
        BASE_RESULTS: nightly,
        REPEATS: "1",
        BUDGET: "100000",
        OUT_DIR: out,
        GITHUB_STEP_SUMMARY: summary,
      },
      reject: false,
      all: true,
    });
    const results = JSON.parse(await readFile(join(out, "head", "results.json"), "utf8")) as {
      verdict: string;
    };
    assert.equal(r.exitCode, EXIT_OF[results.verdict], r.all?.slice(-2000));
    const text = await readFile(summary, "utf8");
    assert.match(text, /### PR benchmark: smoke ×1/);
    assert.match(text, /\| site_ready_latency \| p99 \|/);
  });
});

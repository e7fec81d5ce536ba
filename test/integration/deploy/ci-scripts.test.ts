/**
 * The ci/ scripts end to end on this machine with the smallest real benchmark (smoke, one repeat,
 * embedded control plane): the nightly script writes the run, the history entry and the job summary;
 * the pre-release gate runs the thresholds and an A/B against the previous release and writes its
 * table and the results for history, and refuses to start without a previous release; the PR script
 * runs an A/B against a base revision, or compares with given stored results. One pair and wide
 * budgets keep the outcome independent of this shared machine's noise — the verdicts themselves
 * are the A/B's and the report helper's tests.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
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

  it("pre-release-gate.sh refuses to start without the previous release", async () => {
    const r = await execa(script("pre-release-gate.sh"), {
      env: { TAG: "v9.9.9", BASELINE_TAG: "v9.9.8-no-such-tag", SCENARIOS: "smoke" },
      reject: false,
      all: true,
    });
    assert.equal(r.exitCode, 1);
    assert.match(r.all ?? "", /no release v9\.9\.8-no-such-tag in this clone to A\/B against/);
  });

  it("pre-release-gate.sh: thresholds, an A/B against the previous release on this runner, the gate table and the results for history", async () => {
    const out = join(dir, "gate");
    const summary = join(dir, "gate-summary.md");
    const r = await execa(script("pre-release-gate.sh"), {
      env: {
        TAG: "v9.9.9",
        // Any revision stands for the previous release; one pair decides nothing, so the A/B
        // says undecided (98) whatever this machine's noise.
        BASELINE_TAG: "HEAD",
        SCENARIOS: "smoke",
        AB_SCENARIOS: "smoke",
        PAIRS: "1",
        CLUSTER: "embedded",
        REPEATS: "1",
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
    assert.match(table, /### Pre-release gate v9\.9\.9 \(previous release: HEAD\)/);
    assert.match(
      table,
      /\| smoke \| embedded \| (pass|\*\*FAIL\*\*|inconclusive [^|]*) \| undecided: more pairs or a quieter runner would decide/,
    );
    const ab = JSON.parse(await readFile(join(out, "smoke-ab", "ab.json"), "utf8")) as { order: unknown[] };
    assert.equal(ab.order.length, 2, "one pair: base and head once each");
    assert.equal(r.exitCode, results.verdict === "fail" ? 99 : 98, r.all?.slice(-2000));
    assert.ok(existsSync(join(out, "baseline", "smoke", "results.json")), "results kept for history");
    const text = await readFile(summary, "utf8");
    assert.match(text, /INCONCLUSIVE: head reference against base git:HEAD on smoke, 1 pair/);
  });

  it("pr-bench.sh: the base revision's operator and this checkout's, alternated, answered in the job summary", async () => {
    const out = join(dir, "pr-ab");
    const summary = join(dir, "pr-ab-summary.md");
    const r = await execa(script("pr-bench.sh"), {
      env: { BASE_REF: "HEAD", PAIRS: "1", OUT_DIR: out, GITHUB_STEP_SUMMARY: summary },
      reject: false,
      all: true,
    });
    const head = JSON.parse(await readFile(join(out, "ab", "head", "repeat-1", "results.json"), "utf8")) as {
      verdict: string;
    };
    assert.equal(r.exitCode, head.verdict === "fail" ? 99 : 98, r.all?.slice(-2000));
    const text = await readFile(summary, "utf8");
    assert.match(text, /### PR benchmark: smoke, HEAD vs this change, 1 pair\(s\) on one runner/);
    assert.match(text, /against base git:HEAD on smoke/);
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

/**
 * The upstream Patronus operator under test, end to end: `run smoke --operator patronus-rs` builds
 * (or reuses) its binary from the source, starts it against the embedded cluster and the simulator
 * speaking its dialect, and ends with a verdict — 0 or 99, never a harness error. Whatever the
 * operator does is the result; the test holds the harness to account for it: the operator named
 * in results.json with its source digest, every object created accounted for, the Path and Mesh
 * parts reported not applicable, and any object that never became Ready explained in summary.md.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { loadResults } from "../../../harness/results/load.ts";
import { upstreamOperatorSource } from "../../prerequisites/prerequisites.ts";
import { requires } from "../../prerequisites/requires.ts";
import { runPatronusRsSmoke } from "./patronus-rs-run.ts";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const CLI = join(ROOT, "harness", "cli", "main.ts");

describe("the upstream operator (patronus-rs) under test", requires("patronus-rs"), () => {
  it("runs smoke to a verdict and accounts for every object", { timeout: 900_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "prs-smoke-"));
    const { res, said } = await runPatronusRsSmoke(out, [], { timeout: 880_000 });

    const results = await loadResults(join(out, "results.json"));
    assert.equal(results.run.operator.name, "patronus-rs", said);
    assert.equal(results.run.operator.origin, "built-in");
    assert.match(results.run.operator.source?.digest ?? "", /^[0-9a-f]{64}$/);
    // Every object the run created was watched to an outcome: Ready, Failed or timed out.
    assert.equal(results.coverage.observed, results.coverage.expected, said);
    assert.ok(results.coverage.expected > 0);
    // It serves no Path or Mesh: those parts are not applicable, never counted as passed.
    const na = (results.notApplicable ?? []).map((n) => n.reason).join("\n");
    assert.match(na, /no (Path|Mesh)/, `notApplicable: ${na}`);
    for (const t of results.thresholds.filter((x) => /^path|mesh/.test(x.metric)))
      assert.notEqual(t.status, "pass", `${t.metric} ${t.expression} counted as passed`);

    const summary = readFileSync(join(out, "summary.md"), "utf8");
    const ready = results.metrics.site_ready_latency;
    const readyCount = ready?.type === "distribution" ? ready.count : 0;
    if (readyCount < results.coverage.expected)
      assert.ok(
        results.diagnosis && results.diagnosis.lines.length > 0,
        "objects never Ready, and no diagnosis",
      );
    assert.match(summary, /patronus-rs/);
    // Its own reconcile figures, read by the names its definition gives them; no queue depth it does not export.
    assert.match(
      res.stdout,
      /operator patronus-rs: reconcile_rate max=[\d.]+ mean=[\d.]+ 1\/s · reconcile_errors \d+/,
      said,
    );
    assert.match(res.stdout, /no queue depth metric/);
    assert.equal(results.metrics.workqueue_depth, undefined);
    assert.match(res.stderr, /reconcile \d+\/s errors \d+/, "the progress line's figures are its own");
    assert.doesNotMatch(res.stderr, /\| queue \d+/);
  });

  it("refuses a scenario that needs Path resources in one line, before anything starts", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "prs-refuse-")), "run");
    const res = await execa(
      process.execPath,
      [
        CLI,
        "run",
        "failover-path",
        "--operator",
        "patronus-rs",
        "--operator-source",
        upstreamOperatorSource(),
        "--out",
        out,
      ],
      { cwd: ROOT, reject: false, timeout: 120_000, env: { CI: "1" } },
    );
    assert.equal(res.exitCode, 1, res.stderr);
    const errorLines = res.stderr.split("\n").filter((l) => l.startsWith("error:"));
    assert.equal(errorLines.length, 1, res.stderr);
    assert.match(errorLines[0] ?? "", /Path/);
    assert.doesNotMatch(res.stdout + res.stderr, /starting (embedded|mesh)/);
  });
});

import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli } from "../../test/in-process-cli.ts";
import { REPO_ROOT } from "../paths.ts";
import { analyzeAb } from "./analyze.ts";
import { readFinishedAb } from "./finished.ts";
import { runOrder } from "./paired.ts";

/** An ab.json for three pairs run in the A/B's own order, with `extra` fields. */
const abJson = (extra: Record<string, unknown>) =>
  JSON.stringify({
    abSchemaVersion: 1,
    scenario: "churn",
    order: runOrder(3).map((s) => `${s.side}/repeat-${s.pair}`),
    ...extra,
  });

const RUN = join(REPO_ROOT, "fixtures", "results", "churn", "results.json");

describe("a finished A/B read back from its directory", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "ab-finished-"));
    for (const side of ["base", "head"])
      for (const k of [1, 2, 3]) {
        await mkdir(join(dir, side, `repeat-${k}`), { recursive: true });
        await cp(RUN, join(dir, side, `repeat-${k}`, "results.json"));
      }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("pairs the runs as ab.json's order says and answers again with other options", async () => {
    await writeFile(
      join(dir, "ab.json"),
      abJson({ base: { ref: "reference" }, head: { ref: "patronus-rs", source: "/src" } }),
    );
    const ab = await readFinishedAb(dir);
    assert.equal(ab.pairs, 3);
    assert.equal(ab.base.length, 3);
    assert.equal(ab.head.length, 3);
    assert.equal(ab.labels.head, "head patronus-rs (/src)");
    // The same run on both sides of every pair: each gated figure is unchanged at ×1.
    const analysis = analyzeAb(ab.base, ab.head, ab.labels, { gate: ["site_ready_latency"] });
    assert.ok(analysis.rows.length > 0);
    assert.ok(
      analysis.rows.every((r) => r.metric.startsWith("site_ready_latency")),
      "only the gated metric",
    );
    assert.ok(
      analysis.rows.every((r) => r.verdict === "unchanged" && r.ratio === 1),
      JSON.stringify(analysis.rows.map((r) => [r.metric, r.verdict, r.ratio])),
    );
  });

  it("reads an A/B that stopped early as partial, and ab-analyze says so before its answer", async () => {
    await writeFile(
      join(dir, "ab.json"),
      abJson({ base: { ref: "reference" }, head: { ref: "reference" }, partial: { pairs: 3, of: 10 } }),
    );
    const ab = await readFinishedAb(dir);
    assert.equal(ab.pairs, 3);
    assert.equal(ab.planned, 10);
    const { out } = await runCli(["ab-analyze", dir, "--gate", "lost_updates"]);
    assert.match(out, /^partial A\/B: 3 of 10 pairs ran \(it was stopped or is still running\)\n/);
  });

  it("names the field of an ab.json it cannot read", async () => {
    await writeFile(join(dir, "ab.json"), JSON.stringify({ abSchemaVersion: 1, scenario: "churn" }));
    await assert.rejects(readFinishedAb(dir), /ab\.json: order: /);
  });
});

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../cli/main.ts";
import { loadRepeats } from "../results/load.ts";
import { analyzeAb, matchesGate } from "./analyze.ts";
import { formatAbMarkdown, formatAbTable } from "./format.ts";

const fixtures = new URL("../../fixtures/results/", import.meta.url).pathname;
const labels = { base: "base", head: "head", scenario: "churn" };

test("A/A pairs: nothing regressed or improved; the slow head regresses its latencies and leads the table", async () => {
  const base = await loadRepeats(join(fixtures, "churn-aa-base"));
  const aa = analyzeAb(base, await loadRepeats(join(fixtures, "churn-aa-head")), labels);
  assert.ok(aa.rows.length > 5);
  assert.ok(
    aa.rows.every((r) => r.verdict !== "regressed" && r.verdict !== "improved"),
    JSON.stringify(aa.rows.filter((r) => r.verdict === "regressed" || r.verdict === "improved")),
  );
  assert.notEqual(aa.verdict, "regressed");
  const slow = analyzeAb(base, await loadRepeats(join(fixtures, "churn-slow-head")), labels);
  assert.equal(slow.verdict, "regressed");
  const p99 = slow.rows.find((r) => r.metric === "site_ready_latency" && r.stat === "p99");
  assert.equal(p99?.verdict, "regressed");
  assert.ok(p99!.ratio! > 1.1 && p99!.ci![0] > 1);
  const table = formatAbTable(slow);
  assert.match(table, /^REGRESSED: head against base on churn, 5 pair\(s\)/);
  assert.match(
    table.split("\n").find((l) => l.includes("▼") || l.includes("?")) ?? "",
    /regressed|inconclusive/,
  );
  assert.match(formatAbMarkdown(slow), /^## ❌ REGRESSED/);
});

test("two pairs decide nothing: every figure inconclusive, with the pairs that would decide", async () => {
  const base = (await loadRepeats(join(fixtures, "churn-aa-base"))).slice(0, 2);
  const head = (await loadRepeats(join(fixtures, "churn-slow-head"))).slice(0, 2);
  const a = analyzeAb(base, head, labels);
  assert.equal(a.verdict, "inconclusive");
  assert.ok(a.rows.every((r) => r.verdict === "inconclusive" || r.verdict === "unchanged"));
  assert.ok(a.rows.some((r) => typeof r.pairsToDecide === "number" && r.pairsToDecide >= 3));
  assert.match(a.headline, /pairs would decide/);
});

test("CLI: a bad ref or a source on a git ref is one line, exit 1, before anything starts", async () => {
  const err = console.error;
  const lines: string[] = [];
  console.error = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    assert.equal(await main(["ab", "smoke", "--base", "reference", "--head", "nosuch"]), 1);
    assert.match(lines.join("\n"), /no built-in operator named "nosuch"/);
    assert.equal(
      await main(["ab", "smoke", "--base", "git:HEAD", "--base-source", "/tmp", "--head", "reference"]),
      1,
    );
    assert.match(lines.join("\n"), /--base-source applies to an operator built from source/);
    assert.equal(await main(["ab", "smoke", "--base", "git:no-such-rev-xyz", "--head", "reference"]), 1);
    assert.match(lines.join("\n"), /git:no-such-rev-xyz names no commit/);
    const inContainer = ["--set", "operator.runtime=container"];
    assert.equal(await main(["ab", "smoke", "--base", "git:HEAD", "--head", "reference", ...inContainer]), 1);
    assert.match(
      lines.join("\n"),
      /base \(git:HEAD\): a git: ref runs the revision's reference operator as a process/,
    );
    assert.equal(
      await main(["ab", "smoke", "--base", "reference", "--head", "reference", "--pairs", "0"]),
      1,
    );
  } finally {
    console.error = err;
  }
});

test("--gate: a bare name gates every series of a metric, name{} its unlabelled one, a full key exactly that", () => {
  const total = "apiserver_requests_per_object";
  const sites = 'apiserver_requests_per_object{resource="sites",verb="POST"}';
  assert.ok(matchesGate(total, [total]) && matchesGate(sites, [total]));
  assert.ok(matchesGate(total, [`${total}{}`]));
  assert.ok(!matchesGate(sites, [`${total}{}`]));
  assert.ok(matchesGate(sites, [sites]) && !matchesGate(total, [sites]));
  assert.ok(!matchesGate('apiserver_requests_per_object{resource="paths",verb="POST"}', [sites]));
});

test("a figure one side never recorded says so, not how many pairs would decide it", async () => {
  const base = await loadRepeats(join(fixtures, "churn-aa-base"));
  const head = (await loadRepeats(join(fixtures, "churn-aa-head"))).map((r) => {
    const metrics = { ...r.metrics };
    delete metrics.lost_updates;
    return { ...r, metrics };
  });
  const a = analyzeAb(base, head, labels, { gate: ["lost_updates"] });
  const row = a.rows.find((r) => r.metric === "lost_updates");
  assert.equal(row?.pairs, 0);
  const line = formatAbTable(a)
    .split("\n")
    .find((l) => l.startsWith("lost_updates"));
  assert.match(line ?? "", /inconclusive \(not recorded on both sides\)$/);
});

/** summary.md: verdict, thresholds, key figures and chart links — fit for a GitHub job summary or a PR comment. */
import { CPU_PROCESS_LABELS, phaseCpu, phaseFlags, SATURATED_SHARE } from "../../results/phase-cpu.ts";
import type { Results } from "../../results/schema.ts";
import type { RenderedChart } from "../render/charts.ts";
import { formatSpreadMarkdown } from "../spread/format.ts";
import type { Spread } from "../spread/spread.ts";
import {
  costSlopeLines,
  coverageLine,
  formatObserved,
  isSynthetic,
  keyFigures,
  missingSummary,
  operatorTitle,
} from "./figures.ts";
import { headline } from "./headline.ts";
import { mdCell } from "./markdown-cell.ts";
import type { RepeatSummary } from "./repeats.ts";

const STATUS_MARK: Record<Results["thresholds"][number]["status"], string> = {
  pass: "✅",
  fail: "❌",
  inconclusive: "❔",
  "not-applicable": "➖",
};

/** Kept here too: compare, ab and history import it from this module. */
export { mdCell };

export function renderMarkdown(
  results: Results,
  charts: readonly RenderedChart[],
  repeats: readonly RepeatSummary[] = [],
  spread?: Spread,
): string {
  const { run } = results;
  const lines: string[] = [];
  const mark = { pass: "✅ PASS", fail: "❌ FAIL", inconclusive: "❔ INCONCLUSIVE" }[results.verdict];
  lines.push(`## ${mark} — patronus-bench \`${run.scenario}\` on ${operatorTitle(run.operator)}`, "");
  if (isSynthetic(results)) lines.push("> ⚠️ **Synthetic fixture** — generated data, not a measurement.", "");
  if (results.contamination?.contaminated)
    lines.push(
      ...results.contamination.reasons.map((r) => `> ⚠️ **${r}** — timing thresholds are inconclusive.`),
      "",
    );
  const answer = headline(results);
  if (answer) lines.push(`**${answer}**`, "");
  lines.push(
    `Run \`${run.id}\`${run.repeat ? ` (repeat ${run.repeat.index} of ${run.repeat.of})` : ""} · ${run.startedAt} · ${run.durationSeconds.toFixed(1)} s · ` +
      `git \`${run.git.commit.slice(0, 12)}\`${run.git.dirty ? " (dirty)" : ""} · ${run.cluster.provider} cluster · ` +
      `${run.machine.cores} cores · Kubernetes ${run.versions.kubernetes} · operator ${run.versions.operator}`,
    "",
    `Coverage: ${coverageLine(results)}`,
    "",
  );
  lines.push("### Thresholds", "");
  if (results.thresholds.length === 0) lines.push("_No thresholds defined._", "");
  else {
    lines.push("| | Metric | Threshold | Observed |", "|---|---|---|---|");
    for (const t of results.thresholds) {
      const observed = t.value === null ? "_not recorded_" : formatObserved(results, t.metric, t.value);
      lines.push(
        `| ${STATUS_MARK[t.status]} | \`${mdCell(t.metric)}\` | \`${mdCell(t.expression)}\` | ${t.status === "not-applicable" ? `_${mdCell(t.reason ?? "not applicable")}_` : observed} |`,
      );
    }
    lines.push("");
  }
  if (results.diagnosis?.lines.length) {
    lines.push("### Diagnosis", "", "```text", ...results.diagnosis.lines, "```", "");
  }
  if (results.notApplicable?.length) {
    lines.push("### Not applicable", "");
    for (const n of results.notApplicable) lines.push(`- ${mdCell(n.subject)}: ${mdCell(n.reason)}`);
    lines.push("");
  }
  if (repeats.length > 0) {
    lines.push(
      `### Repeats (${repeats.length}, merged above)`,
      "",
      "| Repeat | Verdict | Failed thresholds |",
      "|---|---|---|",
    );
    for (const r of repeats) {
      const verdict = r.error ? "unreadable" : r.verdict === "pass" ? "✅" : "❌";
      lines.push(`| ${r.dir} | ${verdict} | ${mdCell(r.error ?? (r.failed.join(", ") || "—"))} |`);
    }
    lines.push("");
  }
  if (spread) lines.push(formatSpreadMarkdown(spread, "###"));
  lines.push(...cpuByPhase(results));
  const figures = keyFigures(results);
  const dists = figures.filter((f) => f.type === "distribution");
  if (dists.length > 0) {
    lines.push(
      "### Latencies and distributions",
      "",
      "| Metric | count | p50 | p90 | p99 | max |",
      "|---|---:|---:|---:|---:|---:|",
    );
    for (const f of dists) {
      const v = f.values;
      lines.push(`| \`${mdCell(f.metric)}\` | ${v.count} | ${v.p50} | ${v.p90} | ${v.p99} | ${v.max} |`);
    }
    lines.push("");
  }
  const others = figures.filter((f) => f.type !== "distribution");
  if (others.length > 0) {
    lines.push("### Other metrics", "", "| Metric | Value |", "|---|---|");
    for (const f of others) {
      const v = f.values;
      const value = f.type === "series" ? `mean ${v.mean}, max ${v.max}, last ${v.last}` : (v.value ?? "—");
      lines.push(`| \`${mdCell(f.metric)}\` | ${value} |`);
    }
    lines.push("");
  }
  const slopes = costSlopeLines(results);
  if (slopes.length > 0) lines.push("### Cost curve", "", ...slopes.map((s) => `- ${s}`), "");
  lines.push("### Charts", "");
  for (const c of charts) {
    lines.push(
      c.status === "rendered"
        ? `- [${c.title}](charts/${c.id}.svg)${c.pngFile ? ` ([PNG](charts/${c.id}.png))` : ""}`
        : `- ${c.title}: _${c.status === "missing" ? "not available" : "failed to render"} — ${mdCell(c.reason)}_`,
    );
  }
  lines.push("");
  const missing = missingSummary(results);
  if (missing.thresholdMetrics.length > 0) {
    lines.push(
      `**Missing metrics behind thresholds:** ${missing.thresholdMetrics.map((m) => `\`${m}\``).join(", ")}`,
      "",
    );
  }
  lines.push("Full report: `index.html` in the run directory.", "");
  return lines.join("\n");
}

function cpuByPhase(results: Results): string[] {
  const table = phaseCpu(results);
  if (table.phases.length === 0) return [];
  const lines = [
    `### CPU by phase (average cores of ${table.machineCores})`,
    "",
    `| Phase | Seconds | ${table.processes.map((p) => CPU_PROCESS_LABELS[p]).join(" | ")} | Total |`,
    `|---|---:|${table.processes.map(() => "---:|").join("")}---:|`,
  ];
  for (const p of table.phases) {
    const cells = table.processes.map((name) => p.cores[name]?.toFixed(2) ?? "—");
    lines.push(
      `| ${mdCell(p.phase)} | ${p.seconds.toFixed(1)} | ${cells.join(" | ")} | ${p.total.toFixed(2)}${phaseFlags(
        p,
      )
        .map((f) => ` ⚠️ ${f}`)
        .join("")} |`,
    );
  }
  lines.push("");
  if (table.processes.includes("controller_manager")) lines.push("kcm = kube-controller-manager.", "");
  if (table.phases.some((p) => p.saturated))
    lines.push(
      `⚠️ saturated: the measured processes kept ≥ ${SATURATED_SHARE * 100} % of the machine's cores busy; latencies in those phases include waiting for CPU.`,
      "",
    );
  if (table.phases.some((p) => p.operatorAtLimit))
    lines.push(
      `⚠️ operator at its CPU limit: ≥ ${SATURATED_SHARE * 100} % of its container's ${table.operatorCpuLimit} cores; it was throttled in those phases.`,
      "",
    );
  return lines;
}

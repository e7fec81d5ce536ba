/** An A/B cut into trials, as a terminal table and as Markdown: the runner's false-alarm rate or power. */
import { markdownTable, textTable, VERDICT_MARK } from "../report/outputs/tables.ts";
import { wilsonInterval } from "../statistics/proportion.ts";
import type { AbVerdict } from "./paired.ts";
import type { MetricTally, TrialsAnswer } from "./trials.ts";

const VERDICTS: readonly AbVerdict[] = ["regressed", "improved", "unchanged", "inconclusive"];

export function trialsHeadline(t: TrialsAnswer): string {
  const n = t.trials.length;
  const tally = VERDICTS.map((v) => `${v} in ${t.counts[v]} of ${n}`).join(", ");
  const left = t.leftOver
    ? t.sources > 1
      ? `; ${t.leftOver} pair(s) at the A/Bs' ends make no whole trial and are left out`
      : `; the last ${t.leftOver} pair(s) make no whole trial and are left out`
    : "";
  const from = t.sources > 1 ? ` from ${t.sources} A/Bs` : "";
  return `${n} trial(s) of ${t.pairsPerTrial} pair(s) each${from}: ${tally}${left}`;
}

const percent = (v: number) => `${Math.round(v * 100)} %`;

/**
 * The rates the counts allow: ten trials without a false alarm bound the false-alarm rate, they
 * do not make it 0. Regressed (a false alarm in an A/A, the power against a regression) and
 * unchanged, the two a reader of trials asks about.
 */
export function ratesLine(t: TrialsAnswer): string {
  const n = t.trials.length;
  if (n === 0) return "";
  const rate = (v: AbVerdict) => {
    const [lo, hi] = wilsonInterval(t.counts[v], n);
    return `${v} ${t.counts[v]} of ${n}, ${percent(lo)}–${percent(hi)}`;
  };
  return `Rates at 95 % (Wilson): ${rate("regressed")}; ${rate("unchanged")}`;
}

function trialRows(t: TrialsAnswer): string[][] {
  return t.trials.map((trial, k) => {
    const rows = trial.analysis.rows;
    const named = (v: AbVerdict) => {
      const hit = rows.filter((r) => r.verdict === v);
      if (hit.length === 0) return "—";
      const names = hit.slice(0, 3).map((r) => `${r.metric} ${r.stat}`);
      return names.join(", ") + (hit.length > 3 ? `, … ${hit.length - 3} more` : "");
    };
    return [
      String(k + 1),
      `${trial.source !== undefined ? `${trial.source} ` : ""}${trial.pairs[0]}–${trial.pairs[1]}`,
      `${VERDICT_MARK[trial.analysis.verdict]}`,
      named("regressed"),
      String(rows.filter((r) => r.verdict === "inconclusive").length),
      String(trial.contaminatedRuns),
    ];
  });
}

/** Figures every trial answered alike and unchanged say nothing new; the rest lead, worst first. */
function splitTallies(t: TrialsAnswer): { shown: MetricTally[]; alwaysUnchanged: number } {
  const n = t.trials.length;
  const shown = t.metrics
    .filter((m) => m.counts.unchanged !== n)
    .sort(
      (a, b) =>
        b.counts.regressed - a.counts.regressed ||
        b.counts.inconclusive - a.counts.inconclusive ||
        a.metric.localeCompare(b.metric),
    );
  return { shown, alwaysUnchanged: t.metrics.length - shown.length };
}

/** Which figures gate: a trial count means nothing without it. */
function gateLine(t: TrialsAnswer): string {
  const first = t.trials[0]?.analysis;
  if (!first) return "Gated: nothing (no whole trial)";
  const gate = first.options.gate;
  return gate
    ? `Gated: ${gate.map((g) => `\`${g}\``).join(", ")} (${first.rows.length} figure(s) with their statistics)`
    : `Gated: every figure with a better direction (${first.rows.length} with their statistics)`;
}

const TRIAL_HEADERS = ["Trial", "Pairs", "Verdict", "Regressed", "Inconclusive figures", "Contaminated runs"];
const METRIC_HEADERS = ["Figure", "Stat", "Regressed", "Improved", "Unchanged", "Inconclusive"];
const metricCells = (m: MetricTally) => [m.metric, m.stat, ...VERDICTS.map((v) => String(m.counts[v]))];

export function formatTrialsTable(t: TrialsAnswer): string {
  const { shown, alwaysUnchanged } = splitTallies(t);
  return [
    trialsHeadline(t),
    ratesLine(t),
    gateLine(t).replaceAll("`", ""),
    "",
    ...textTable(TRIAL_HEADERS, trialRows(t)),
    "",
    `per gated figure (${alwaysUnchanged} unchanged in every trial, not listed):`,
    ...(shown.length ? textTable(METRIC_HEADERS, shown.map(metricCells)) : ["(none)"]),
    "",
  ].join("\n");
}

export function formatTrialsMarkdown(t: TrialsAnswer, method: string): string {
  const { shown, alwaysUnchanged } = splitTallies(t);
  return [
    `## ${trialsHeadline(t)}`,
    "",
    `${ratesLine(t)}.`,
    "",
    `${gateLine(t)}. Method: ${method}.`,
    "",
    ...markdownTable(TRIAL_HEADERS, trialRows(t)),
    "",
    `Per gated figure (${alwaysUnchanged} unchanged in every trial, not listed):`,
    "",
    ...(shown.length ? markdownTable(METRIC_HEADERS, shown.map(metricCells)) : ["(none)"]),
    "",
  ].join("\n");
}

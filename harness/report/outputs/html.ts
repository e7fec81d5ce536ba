/**
 * index.html: one self-contained, offline file — inline CSS and inline SVG charts, no scripts,
 * no external requests — readable as a CI artifact.
 */
import { CPU_PROCESS_LABELS, phaseCpu, phaseFlags, SATURATED_SHARE } from "../../results/phase-cpu.ts";
import type { Results } from "../../results/schema.ts";
import { describeDetail, eventCategory, phaseSeconds } from "../chart-data/timeline.ts";
import type { RenderedChart } from "../render/charts.ts";
import { CV_COLUMN, spreadCells, spreadHeaders, spreadNotes, spreadTitle } from "../spread/format.ts";
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
import { REPORT_CSS } from "./html-style.ts";
import { escapeXml as esc } from "./junit.ts";
import type { RepeatSummary } from "./repeats.ts";

export function renderHtml(
  results: Results,
  charts: readonly RenderedChart[],
  repeats: readonly RepeatSummary[] = [],
  spread?: Spread,
): string {
  const { run } = results;
  const verdict = results.verdict.toUpperCase();
  const body = [
    `<header class="verdict ${results.verdict}"><h1>${verdict} — ${esc(run.scenario)} on ${esc(operatorTitle(run.operator))}</h1>`,
    `<p>Run <code>${esc(run.id)}</code>${run.repeat ? ` · repeat ${run.repeat.index} of ${run.repeat.of}` : ""}</p></header>`,
    isSynthetic(results)
      ? `<p class="banner">Synthetic fixture — generated from seeded random data, not a measurement.</p>`
      : "",
    ...(results.contamination?.contaminated
      ? results.contamination.reasons.map(
          (r) => `<p class="banner">${esc(r)} — timing thresholds are inconclusive.</p>`,
        )
      : []),
    // The answer first: the figures in words, then the picture a scale test is read by.
    headlineSection(results),
    chartsSection(
      charts.filter((c) => c.id === LEAD_CHART && c.status === "rendered"),
      "",
    ),
    thresholdsSection(results),
    repeatsSection(repeats),
    spreadSection(spread),
    cpuSection(results),
    chartsSection(
      charts.filter((c) => c.id !== LEAD_CHART || c.status !== "rendered"),
      "Charts",
    ),
    figuresSection(results),
    metadataSection(results),
    scenarioSection(results),
    missingSection(results, charts),
    eventsSection(results),
  ].join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${verdict} ${run.scenario} on ${run.operator.name} — patronus-bench`)}</title>
<style>${REPORT_CSS}</style></head>
<body><main>
${body}
</main></body></html>
`;
}

function table(headers: string[], rows: string[][], className = ""): string {
  const head = headers.map((h) => `<th>${esc(h)}</th>`).join("");
  const rowsHtml = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table class="${className}"><thead><tr>${head}</tr></thead><tbody>${rowsHtml}</tbody></table>`;
}

/** The chart shown right under the headline, before any table. */
const LEAD_CHART = "convergence";

function headlineSection(results: Results): string {
  const text = headline(results);
  return text ? `<p class="headline">${esc(text)}</p>` : "";
}

/** A nested definition list: objects as nested lists, arrays of plain values inline. */
function definitionList(value: Record<string, unknown>, className = "settings"): string {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "<em>none</em>";
  return `<dl class="${className}">${entries
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${settingValue(v)}</dd>`)
    .join("")}</dl>`;
}

function settingValue(v: unknown): string {
  if (v !== null && typeof v === "object" && !Array.isArray(v))
    return definitionList(v as Record<string, unknown>);
  if (Array.isArray(v) && v.some((x) => x !== null && typeof x === "object"))
    return v.map((x) => settingValue(x)).join("");
  if (Array.isArray(v))
    return v.length === 0 ? "<em>none</em>" : v.map((x) => `<code>${esc(String(x))}</code>`).join(" ");
  return `<code>${esc(String(v))}</code>`;
}

/** The scenario as run: its settings as nested lists, its phases as a table (never one JSON line). */
function scenarioSection(results: Results): string {
  const { phases, thresholds: _thresholds, ...settings } = results.run.definition as Record<string, unknown>;
  const rows = ((phases ?? []) as Array<Record<string, unknown>>).map((p, i) => {
    const { kind, name, ...rest } = p;
    return [String(i), esc(String(kind)), esc(String(name ?? "")), definitionList(rest)];
  });
  return `<section><h2>Scenario</h2>${definitionList(settings)}${
    rows.length ? `<h3>Phases</h3>${table(["#", "Kind", "Name", "Settings"], rows, "phases")}` : ""
  }</section>`;
}

function metadataSection(results: Results): string {
  const { run } = results;
  const rows: Array<[string, string]> = [
    ["Started", run.startedAt],
    ["Finished", run.finishedAt],
    ["Duration", `${run.durationSeconds.toFixed(1)} s`],
    ["Git", `${run.git.commit}${run.git.dirty ? " (dirty)" : ""}`],
    [
      "Versions",
      Object.entries(run.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    ],
    [
      "Machine",
      `${run.machine.cores} cores, ${(run.machine.memoryBytes / 1024 ** 3).toFixed(1)} GiB, ${run.machine.cpuModel}, ${run.machine.platform}`,
    ],
    ["Cluster", `${run.cluster.provider}${run.cluster.etcdFsyncDisabled ? ", etcd fsync disabled" : ""}`],
    ["Seed", String(run.seed)],
    ["Coverage", coverageLine(results)],
  ];
  const knobs = `<dt>Cluster knobs</dt><dd>${definitionList(run.cluster.knobs as Record<string, unknown>)}</dd>`;
  return `<section><h2>Run</h2><dl class="meta">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}${knobs}</dl></section>`;
}

const STATUS_TEXT: Record<Results["thresholds"][number]["status"], string> = {
  pass: "✔ pass",
  fail: "✘ fail",
  inconclusive: "? inconclusive",
  "not-applicable": "– n/a",
};

function thresholdsSection(results: Results): string {
  if (results.thresholds.length === 0)
    return `<section><h2>Thresholds</h2><p>No thresholds defined.</p></section>`;
  const rows = results.thresholds.map((t) => [
    `<span class="${t.status === "pass" ? "pass" : t.status === "fail" ? "fail" : "missing"}">${STATUS_TEXT[t.status]}</span>`,
    `<code>${esc(t.metric)}</code>`,
    `<code>${esc(t.expression)}</code>`,
    t.status === "not-applicable" || t.status === "inconclusive"
      ? `<span class="missing">${esc(t.reason ?? t.status)}</span>`
      : t.value === null
        ? `<span class="missing">not recorded</span>`
        : esc(formatObserved(results, t.metric, t.value)),
    t.abortOnFail ? "yes" : "",
  ]);
  const left = results.notApplicable?.length
    ? `<h3>Not applicable</h3><ul>${results.notApplicable.map((n) => `<li>${esc(n.subject)}: ${esc(n.reason)}</li>`).join("")}</ul>`
    : "";
  const why = results.diagnosis?.lines.length
    ? `<h3>Diagnosis</h3><pre class="diagnosis">${esc(results.diagnosis.lines.join("\n"))}</pre>`
    : "";
  return `<section><h2>Thresholds</h2>${table(["", "Metric", "Threshold", "Observed", "abortOnFail"], rows, "thresholds")}${why}${left}</section>`;
}

function figuresSection(results: Results): string {
  const figures = keyFigures(results);
  const dists = figures.filter((f) => f.type === "distribution");
  const others = figures.filter((f) => f.type !== "distribution");
  const distTable = table(
    ["Metric", "count", "p50", "p90", "p99", "max"],
    dists.map((f) => [
      `<code>${esc(f.metric)}</code>`,
      ...["count", "p50", "p90", "p99", "max"].map((k) => esc(f.values[k] ?? "—")),
    ]),
    "figures",
  );
  const otherTable = table(
    ["Metric", "Type", "Value"],
    others.map((f) => [
      `<code>${esc(f.metric)}</code>`,
      f.type,
      esc(
        f.type === "series"
          ? `mean ${f.values.mean}, max ${f.values.max}, last ${f.values.last}`
          : (f.values.value ?? "—"),
      ),
    ]),
    "figures",
  );
  const slopes = costSlopeLines(results);
  return `<section><h2>Key figures</h2>${dists.length ? distTable : ""}${others.length ? otherTable : ""}${
    slopes.length ? `<ul>${slopes.map((s) => `<li>${esc(s)}</li>`).join("")}</ul>` : ""
  }${figures.length === 0 ? `<p class="missing">No metrics were recorded.</p>` : ""}</section>`;
}

/** CPU by phase, as in summary.md: a latency gate missed in a saturated phase measures the machine too. */
function cpuSection(results: Results): string {
  const t = phaseCpu(results);
  if (t.phases.length === 0) return "";
  const rows = t.phases.map((p) => [
    esc(p.phase),
    p.seconds.toFixed(1),
    ...t.processes.map((name) => p.cores[name]?.toFixed(2) ?? "—"),
    p.total.toFixed(2),
    esc(phaseFlags(p).join(", ")),
  ]);
  const headers = ["Phase", "Seconds", ...t.processes.map((p) => CPU_PROCESS_LABELS[p]), "Total", ""];
  const notes = [
    t.processes.includes("controller_manager") ? "kcm = kube-controller-manager." : "",
    t.phases.some((p) => p.saturated)
      ? `Saturated: the measured processes kept ≥ ${SATURATED_SHARE * 100} % of the machine's cores busy; latencies in those phases include waiting for CPU.`
      : "",
    t.phases.some((p) => p.operatorAtLimit)
      ? `Operator at its CPU limit: ≥ ${SATURATED_SHARE * 100} % of its container's ${t.operatorCpuLimit} cores; it was throttled there.`
      : "",
  ].filter(Boolean);
  return `<section><h2>CPU by phase (average cores of ${t.machineCores})</h2>${table(headers, rows, "figures")}${notes
    .map((n) => `<p>${esc(n)}</p>`)
    .join("")}</section>`;
}

function chartsSection(charts: readonly RenderedChart[], heading: string): string {
  if (charts.length === 0) return "";
  const figures = charts.map((c) =>
    c.status === "rendered"
      ? `<figure class="chart" id="chart-${esc(c.id)}" data-chart="${esc(c.id)}">${scopeSvgIds(c.svg, c.id)}<figcaption>${esc(c.title)} · <a href="charts/${esc(c.id)}.svg">SVG</a>${c.pngFile ? ` · <a href="charts/${esc(c.id)}.png">PNG</a>` : ""}</figcaption></figure>`
      : `<figure class="chart unavailable" data-chart="${esc(c.id)}" data-status="${c.status}"><p><strong>${esc(c.title)}</strong>: ${
          c.status === "missing" ? "not available" : "failed to render"
        } — ${esc(c.reason)}</p></figure>`,
  );
  return `<section>${heading ? `<h2>${esc(heading)}</h2>` : ""}${figures.join("\n")}</section>`;
}

function missingSection(results: Results, charts: readonly RenderedChart[]): string {
  const missing = missingSummary(results);
  const unavailable = charts.filter((c) => c.status !== "rendered").length;
  if (missing.thresholdMetrics.length === 0 && unavailable === 0) return "";
  const parts: string[] = [];
  if (missing.thresholdMetrics.length > 0) {
    parts.push(
      `<p class="missing">Thresholds on metrics this run never recorded: ${missing.thresholdMetrics.map((m) => `<code>${esc(m)}</code>`).join(", ")}</p>`,
    );
  }
  return `<section><h2>Missing data</h2>${parts.join("")}</section>`;
}

function eventsSection(results: Results): string {
  const phases = results.phases.map((p) => {
    const { start, end } = phaseSeconds(p, results.run.startedAt);
    return [esc(p.name), esc(p.kind), start.toFixed(1), end.toFixed(1), (end - start).toFixed(1)];
  });
  const shown = eventsForLog(results.events);
  const events = shown.map((e) => [
    e.t.toFixed(3),
    `<span class="ev-${eventCategory(e)}">${esc(e.kind)}</span>`,
    esc(e.source),
    esc(describeDetail(e.detail)),
  ]);
  return `<section><h2>Phases</h2>${phases.length ? table(["Phase", "Kind", "Start (s)", "End (s)", "Duration (s)"], phases) : "<p>No phases recorded.</p>"}</section>
<section><h2>Fault and event log</h2>${events.length ? table(["t (s)", "Event", "Source", "Detail"], events, "events") : "<p>No events recorded.</p>"}${
    shown.length < results.events.length
      ? `<p class="missing">${results.events.length - shown.length} routine events not shown (all faults and recoveries are); see results.json.</p>`
      : ""
  }</section>`;
}

const MAX_LOGGED_EVENTS = 500;

/** Every fault, recovery and phase mark; routine events only up to a cap, so the page stays small. */
function eventsForLog(events: Results["events"]): Results["events"] {
  let budget = MAX_LOGGED_EVENTS - events.filter((e) => eventCategory(e) !== "other").length;
  return events.filter((e) => eventCategory(e) !== "other" || budget-- > 0);
}

/**
 * Several SVGs inlined in one document share one id namespace; vega's clip paths and gradients
 * reference ids, so each chart's ids get the chart's prefix.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

function spreadSection(spread: Spread | undefined): string {
  if (!spread) return "";
  const rows = spread.rows.map((r) =>
    spreadCells(r, spread.samples.length).map((c, i) =>
      i === 0
        ? `<code>${esc(c)}</code>`
        : r.aboveCostLimit && i === CV_COLUMN
          ? `<strong>${esc(c)}</strong>`
          : esc(c),
    ),
  );
  const notes = spreadNotes(spread)
    .map((n) => `<p>${esc(n)}</p>`)
    .join("");
  return `<section><h2>${esc(spreadTitle(spread))}</h2>${notes}${table(spreadHeaders(spread), rows, "spread")}</section>`;
}

function repeatsSection(repeats: readonly RepeatSummary[]): string {
  if (repeats.length === 0) return "";
  const rows = repeats.map((r) => [
    `<a href="${esc(r.dir)}/results.json">${esc(r.dir)}</a>`,
    r.error
      ? `<span class="missing">unreadable</span>`
      : `<span class="${r.verdict}">${r.verdict === "pass" ? "✔ pass" : "✘ fail"}</span>`,
    r.durationSeconds === undefined ? "—" : `${r.durationSeconds.toFixed(1)} s`,
    esc(r.error ?? (r.failed.join(", ") || "—")),
  ]);
  return `<section><h2>Repeats (${repeats.length})</h2><p>Metrics above are merged across repeats (histograms added); a threshold passes only if it passed in every repeat.</p>${table(["Repeat", "Verdict", "Duration", "Failed thresholds"], rows)}</section>`;
}

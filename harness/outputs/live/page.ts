/**
 * The live view's page: one HTML document with its style and script inline; vega and vega-lite
 * are served by the view from the project's own dependencies (no request leaves the machine).
 * Charts are the report's specs (every one the report draws, in its order) with the rows the
 * server sends put in as their data; each is redrawn at most once a second.
 */
import type { VegaLiteSpec } from "../../report/render/spec.ts";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a <script> element: `</` would end the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("</", "<\\/");
}

const STYLE = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 1.5rem; color: #222; background: #fafafa; }
h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
#progress { display: flex; gap: 1.5rem; align-items: baseline; flex-wrap: wrap; }
#phase { font-size: 1.2rem; font-weight: bold; }
#bar { height: 6px; background: #ddd; margin: .5rem 0 1rem; }
#bar > div { height: 6px; background: #4c78a8; width: 0; transition: width .5s; }
#status { font-family: monospace; color: #555; }
#charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(780px, 1fr)); gap: 1rem; }
figure { margin: 0; background: white; border: 1px solid #ddd; padding: .5rem; min-height: 120px; overflow-x: auto; }
figcaption { color: #777; font-size: .9rem; }
#end { display: none; padding: .75rem; margin: 1rem 0; border: 2px solid #4c78a8; background: white; }
#end.pass { border-color: #54a24b; } #end.fail, #end.error { border-color: #e45756; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; background: white; }
td, th { text-align: left; padding: .15rem .5rem; border-bottom: 1px solid #eee; vertical-align: top; }
td.detail { font-family: monospace; word-break: break-all; }
`;

const SCRIPT = `
const specs = JSON.parse(document.getElementById("specs").textContent);
const views = {};
const $ = (id) => document.getElementById(id);
/** A chart is drawn at most once a second however fast its rows come. */
const DRAW_MS = 1000;
const pending = {};
const lastDrawn = {};
const timers = {};

const drawing = {};

/**
 * Draws into a detached element, then swaps it in and sets data-rows in one step: what the page
 * shows and the row count it reports always go together, and an older draw never replaces a newer.
 */
async function draw(id, data) {
  const figure = $("chart-" + id);
  const note = figure.querySelector(".note");
  const seq = (drawing[id] ?? 0) + 1;
  drawing[id] = seq;
  if ("missing" in data) {
    views[id]?.finalize();
    delete views[id];
    figure.querySelector(".vis").replaceChildren();
    note.textContent = data.missing;
    figure.dataset.rows = "0";
    return;
  }
  const spec = { ...specs[id].spec, data: { values: data.rows } };
  const vis = document.createElement("div");
  vis.className = "vis";
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "svg" });
  await view.initialize(vis).runAsync();
  if (drawing[id] !== seq) return view.finalize();
  views[id]?.finalize();
  views[id] = view;
  figure.querySelector(".vis").replaceWith(vis);
  note.textContent = "";
  figure.dataset.rows = String(data.rows.length);
}

function schedule(id, data) {
  pending[id] = data;
  if (timers[id]) return;
  const wait = Math.max(0, (lastDrawn[id] ?? -Infinity) + DRAW_MS - performance.now());
  timers[id] = setTimeout(() => {
    timers[id] = undefined;
    const next = pending[id];
    delete pending[id];
    lastDrawn[id] = performance.now();
    draw(id, next).catch((err) => {
      $("chart-" + id).querySelector(".note").textContent = "chart failed: " + err.message;
    });
  }, wait);
}

function charts(message) {
  for (const [id, data] of Object.entries(message.charts)) if (specs[id]) schedule(id, data);
  if (message.final) document.body.dataset.final = "true";
}

function show(state) {
  $("phase").textContent = state.phase ? "phase " + state.phase : "starting";
  $("phase-count").textContent = state.phases.length ? state.phaseIndex + " of " + state.phases.length + " phases" : "";
  $("elapsed").textContent = state.elapsed + " s";
  $("status").textContent = state.status;
  $("run-id").textContent = state.runId;
  $("bar").firstElementChild.style.width = state.phases.length ? (100 * state.phaseIndex / state.phases.length) + "%" : "0";
}

function logEvent(e) {
  const row = document.createElement("tr");
  for (const [cls, text] of [["t", e.t.toFixed(1) + " s"], ["kind", e.kind], ["source", e.source], ["detail", JSON.stringify(e.detail)]]) {
    const cell = document.createElement("td");
    cell.className = cls;
    cell.textContent = text;
    row.appendChild(cell);
  }
  const body = $("events");
  body.insertBefore(row, body.firstChild);
  while (body.children.length > 300) body.lastChild.remove();
}

function end(e) {
  const box = $("end");
  box.className = e.verdict;
  box.style.display = "block";
  $("verdict").textContent = e.verdict;
  $("end-message").textContent = e.message ?? "";
  const link = $("report");
  if (e.reportUrl) { link.href = e.reportUrl; link.textContent = e.reportUrl; }
  else if (e.report || e.dir) { link.removeAttribute("href"); link.textContent = e.report ?? e.dir; }
  else $("report-line").style.display = "none";
  source.close();
}

const source = new EventSource("/events");
source.addEventListener("state", (m) => show(JSON.parse(m.data)));
source.addEventListener("charts", (m) => charts(JSON.parse(m.data)));
source.addEventListener("event", (m) => logEvent(JSON.parse(m.data)));
source.addEventListener("end", (m) => end(JSON.parse(m.data)));
`;

/** `specs`: every chart of the report, in its order, by id. */
export function livePage(
  scenario: string,
  specs: Record<string, { title: string; spec: VegaLiteSpec }>,
): string {
  const figures = Object.entries(specs)
    .map(
      ([id, { title }]) =>
        `<figure id="chart-${escapeHtml(id)}" data-chart="${escapeHtml(id)}" data-rows="0"><div class="vis"></div><figcaption><strong>${escapeHtml(title)}</strong> <span class="note">waiting for data</span></figcaption></figure>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>patronus-bench: ${escapeHtml(scenario)} (live)</title>
<style>${STYLE}</style>
<script src="/vendor/vega.min.js"></script>
<script src="/vendor/vega-lite.min.js"></script>
<script type="application/json" id="specs">${scriptJson(specs)}</script>
</head>
<body>
<h1>patronus-bench run ${escapeHtml(scenario)} <small id="run-id"></small></h1>
<div id="progress"><span id="phase">starting</span><span id="phase-count"></span><span id="elapsed"></span></div>
<div id="bar"><div></div></div>
<div id="status"></div>
<div id="end">Run ended: <strong id="verdict"></strong> <span id="end-message"></span><span id="report-line">. Report: <a id="report"></a></span></div>
<section id="charts">
${figures}
</section>
<h2>Events</h2>
<table><thead><tr><th>t</th><th>kind</th><th>source</th><th>detail</th></tr></thead><tbody id="events"></tbody></table>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

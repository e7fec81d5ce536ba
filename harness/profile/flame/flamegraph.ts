/**
 * A self-contained flame graph (icicle: callers above callees) of a CPU profile as one HTML file
 * with an inline SVG renderer: no network, no library, opens from disk in any browser. Click a
 * frame to zoom into it, click the top bar to zoom out; hover for samples and share. (0x and
 * clinic flame need to launch the process themselves; here the process is already running.)
 */

import { selfCounts } from "../cpu/analyse.ts";
import type { CpuProfile } from "../cpu/cpuprofile.ts";
import { classifyFrame, displayPath, MODULE_GROUPS, type ModuleGroup } from "../cpu/modules.ts";

interface FlameNode {
  /** name */
  n: string;
  /** module group index */
  m: number;
  /** samples (total) */
  v: number;
  c: FlameNode[];
}

const PALETTE = [
  "#e45756",
  "#f58518",
  "#eeca3b",
  "#4c78a8",
  "#72b7b2",
  "#54a24b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
  "#88d27a",
  "#439894",
  "#83bcb6",
  "#d67195",
  "#fcbf5d",
  "#8e6c8a",
  "#c7c7c7",
  "#a0a0a0",
  "#d0d0d0",
  "#e0e0e0",
];

function label(functionName: string, url: string, line: number): string {
  const name = functionName || "(anonymous)";
  return url === "" ? name : `${name} ${displayPath(url)}:${line + 1}`;
}

/** The call tree with children of the same function merged, totals filled, tiny frames cut. */
export function flameTree(profile: CpuProfile, minFraction = 0.001): { root: FlameNode; idle: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = selfCounts(profile);
  const rootNode = profile.nodes.find((n) => n.callFrame.functionName === "(root)") ?? profile.nodes[0];
  let idle = 0;
  const build = (id: number): FlameNode | undefined => {
    const node = byId.get(id);
    if (!node) return undefined;
    const f = node.callFrame;
    if (f.functionName === "(idle)") {
      idle += self.get(id) ?? 0;
      return undefined;
    }
    const group = classifyFrame(f.functionName, f.url);
    const out: FlameNode = {
      n: label(f.functionName, f.url, f.lineNumber),
      m: MODULE_GROUPS.indexOf(group as ModuleGroup),
      v: self.get(id) ?? 0,
      c: [],
    };
    const merged = new Map<string, FlameNode>();
    for (const cid of node.children ?? []) {
      const child = build(cid);
      if (!child) continue;
      const same = merged.get(child.n);
      if (same) mergeInto(same, child);
      else merged.set(child.n, child);
    }
    out.c = [...merged.values()];
    out.v += out.c.reduce((s, c) => s + c.v, 0);
    return out;
  };
  const root = (rootNode && build(rootNode.id)) ?? { n: "(root)", m: 0, v: 0, c: [] };
  root.n = "all (busy samples)";
  prune(root, Math.max(1, Math.floor(root.v * minFraction)));
  return { root, idle };
}

function mergeInto(a: FlameNode, b: FlameNode): void {
  a.v += b.v;
  for (const bc of b.c) {
    const same = a.c.find((x) => x.n === bc.n);
    if (same) mergeInto(same, bc);
    else a.c.push(bc);
  }
}

function prune(node: FlameNode, min: number): void {
  node.c = node.c.filter((c) => c.v >= min).sort((x, y) => y.v - x.v);
  for (const c of node.c) prune(c, min);
}

const RENDERER = `
const W = () => Math.max(600, document.body.clientWidth - 16), H = 17;
const svg = document.getElementById('flame');
let focus = DATA;
function esc(s){return s.replace(/[&<>]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));}
function depth(n){return 1 + Math.max(0, ...n.c.map(depth));}
function draw(){
  const w = W(), total = focus.v || 1, out = [];
  const put = (n, x, d, isFocus) => {
    const width = w * n.v / total; if (width < 0.5) return;
    const share = (100 * n.v / DATA.v).toFixed(2);
    out.push('<g data-i="'+IDX.get(n)+'"><rect x="'+x+'" y="'+d*H+'" width="'+Math.max(0,width-0.5)+'" height="'+(H-1)+'" fill="'+COLORS[n.m]+'"><title>'+esc(n.n)+' — '+n.v+' samples, '+share+' % ('+GROUPS[n.m]+')</title></rect>'+
      (width > 40 ? '<text x="'+(x+3)+'" y="'+(d*H+12)+'" font-size="11" pointer-events="none">'+esc(n.n.slice(0, Math.floor(width/6.5)))+'</text>' : '')+'</g>');
    let cx = x; for (const c of n.c) { put(c, cx, d+1); cx += w * c.v / total; }
  };
  put(focus, 0, 0, true);
  svg.setAttribute('width', w); svg.setAttribute('height', depth(focus) * H);
  svg.innerHTML = out.join('');
}
const IDX = new Map(), NODES = [];
(function index(n){ IDX.set(n, NODES.length); NODES.push(n); n.c.forEach(index); })(DATA);
const PARENT = new Map(); NODES.forEach(n => n.c.forEach(c => PARENT.set(c, n)));
svg.addEventListener('click', e => {
  const g = e.target.closest('g'); if (!g) return;
  const n = NODES[+g.dataset.i];
  focus = (n === focus) ? (PARENT.get(n) || DATA) : n; draw();
});
window.addEventListener('resize', draw); draw();`;

export function flameGraphHtml(profile: CpuProfile, title: string): string {
  const { root, idle } = flameTree(profile);
  const groups = [...new Set(collectGroups(root))].map((m) => ({ m, name: MODULE_GROUPS[m] ?? "other" }));
  const legend = groups
    .map((g) => `<span style="background:${PALETTE[g.m]};padding:1px 6px;margin-right:4px">${g.name}</span>`)
    .join("");
  const json = JSON.stringify(root).replace(/</g, "\\u003c");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:12px sans-serif;margin:8px}svg text{font-family:monospace}rect{cursor:pointer}</style></head>
<body><h3>${escapeHtml(title)}</h3>
<p>${root.v} busy samples (${idle} idle samples not shown). Callers above callees; click a frame to zoom, click the top frame to zoom out.</p>
<p>${legend}</p>
<svg id="flame" xmlns="http://www.w3.org/2000/svg"></svg>
<script>const DATA = ${json}; const COLORS = ${JSON.stringify(PALETTE)}; const GROUPS = ${JSON.stringify(MODULE_GROUPS)};${RENDERER}</script>
</body></html>
`;
}

function collectGroups(n: FlameNode, out: number[] = []): number[] {
  out.push(n.m);
  for (const c of n.c) collectGroups(c, out);
  return out;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}

/**
 * Reads a V8 CPU profile as a reader of "where does the operator spend its time" wants it:
 * functions ranked by self samples (the frame on top of the stack) and by total samples (on the
 * stack at all, counted once per sample even under recursion), and the samples per module group.
 * A builtin frame (no script URL, e.g. Array.prototype.map) is charged to the group of the
 * nearest caller that has one, so "v8-builtin" does not swallow the operator's own work.
 */
import type { CpuProfile, CpuProfileNode } from "./cpuprofile.ts";
import { classifyFrame, displayPath, type ModuleGroup } from "./modules.ts";

export interface FunctionStat {
  /** "name (path:line)" as shown in charts. */
  function: string;
  functionName: string;
  module: ModuleGroup;
  url: string;
  line: number;
  selfSamples: number;
  totalSamples: number;
  selfPercent: number;
  totalPercent: number;
}

export interface ModuleStat {
  module: ModuleGroup;
  selfSamples: number;
  selfPercent: number;
}

export interface CpuAnalysis {
  samples: number;
  durationMs: number;
  /** Mean sampling interval. */
  intervalMs: number;
  /** Samples not in (idle): the share of the window the operator's thread was busy. */
  busyPercent: number;
  /** Samples in a named group (anything but "other"), as a percentage of all samples. */
  accountedPercent: number;
  modules: ModuleStat[];
  topSelf: FunctionStat[];
  topTotal: FunctionStat[];
}

const PSEUDO = new Set(["(root)", "(idle)"]);

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function frameKey(node: CpuProfileNode): string {
  const f = node.callFrame;
  return `${f.functionName}\u0000${f.url}\u0000${f.lineNumber}\u0000${f.columnNumber}`;
}

function frameName(node: CpuProfileNode): string {
  const f = node.callFrame;
  const name = f.functionName || "(anonymous)";
  if (f.url === "") return name;
  return `${name} (${displayPath(f.url)}:${f.lineNumber + 1})`;
}

/** V8's own frames, shown as they are. */
function isPseudo(node: CpuProfileNode): boolean {
  return node.callFrame.url === "" && node.callFrame.functionName.startsWith("(");
}

export function selfCounts(profile: CpuProfile): Map<number, number> {
  const counts = new Map<number, number>();
  if (profile.samples && profile.samples.length > 0) {
    for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  } else {
    for (const n of profile.nodes) if (n.hitCount) counts.set(n.id, n.hitCount);
  }
  return counts;
}

export function analyseCpuProfile(profile: CpuProfile, top = 20): CpuAnalysis {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = selfCounts(profile);
  let total = 0;
  for (const c of self.values()) total += c;

  // A frame's own group, or for a builtin the group of its nearest caller with a URL.
  const groupCache = new Map<number, ModuleGroup>();
  const groupOf = (id: number): ModuleGroup => {
    const cached = groupCache.get(id);
    if (cached) return cached;
    const node = byId.get(id);
    let group: ModuleGroup = "other";
    if (node) {
      group = classifyFrame(node.callFrame.functionName, node.callFrame.url);
      // URL parsing also runs a native "parse": that is not (de)serialization.
      if (group === "serialization" && node.callFrame.url === "") {
        const up = parent.get(id);
        if (up !== undefined && byId.get(up)?.callFrame.url.startsWith("node:internal/url"))
          group = "v8-builtin";
      }
      if (group === "v8-builtin") {
        const up = parent.get(id);
        const upNode = up === undefined ? undefined : byId.get(up);
        if (up !== undefined && upNode && upNode.callFrame.functionName !== "(root)") {
          const inherited = groupOf(up);
          if (inherited !== "program") group = inherited;
        }
      }
    }
    groupCache.set(id, group);
    return group;
  };

  // A builtin or native binding ("start", "parse") says little alone: it is named and counted
  // per calling function ("start ← TLSSocket._start (node:internal/tls/wrap:1207)").
  const callerOf = (node: CpuProfileNode): CpuProfileNode | undefined => {
    if (node.callFrame.url !== "" || isPseudo(node)) return undefined;
    for (let up = parent.get(node.id); up !== undefined; up = parent.get(up)) {
      const n = byId.get(up);
      if (!n || n.callFrame.functionName === "(root)") return undefined;
      if (n.callFrame.url !== "") return n;
    }
    return undefined;
  };
  const functionKey = (node: CpuProfileNode): string => {
    const caller = callerOf(node);
    return caller ? `${frameKey(node)}\u0001${frameKey(caller)}` : frameKey(node);
  };
  const displayName = (node: CpuProfileNode): string => {
    const caller = callerOf(node);
    return caller ? `${frameName(node)} ← ${frameName(caller)}` : frameName(node);
  };

  const stats = new Map<string, FunctionStat>();
  const statOf = (node: CpuProfileNode): FunctionStat => {
    const key = functionKey(node);
    let s = stats.get(key);
    if (!s) {
      s = {
        function: displayName(node),
        functionName: node.callFrame.functionName || "(anonymous)",
        module: groupOf(node.id),
        url: node.callFrame.url === "" ? "" : displayPath(node.callFrame.url),
        line: node.callFrame.url === "" ? 0 : node.callFrame.lineNumber + 1,
        selfSamples: 0,
        totalSamples: 0,
        selfPercent: 0,
        totalPercent: 0,
      };
      stats.set(key, s);
    }
    return s;
  };

  const moduleSamples = new Map<ModuleGroup, number>();
  let idle = 0;
  for (const [id, count] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const group = groupOf(id);
    moduleSamples.set(group, (moduleSamples.get(group) ?? 0) + count);
    if (node.callFrame.functionName === "(idle)") idle += count;
    statOf(node).selfSamples += count;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n || n.callFrame.functionName === "(root)") break;
      const key = functionKey(n);
      if (seen.has(key)) continue;
      seen.add(key);
      statOf(n).totalSamples += count;
    }
  }

  const pct = (n: number) => (total === 0 ? 0 : round((100 * n) / total));
  const all = [...stats.values()].filter((s) => !PSEUDO.has(s.functionName));
  for (const s of all) {
    s.selfPercent = pct(s.selfSamples);
    s.totalPercent = pct(s.totalSamples);
  }
  const modules = [...moduleSamples.entries()]
    .map(([module, n]) => ({ module, selfSamples: n, selfPercent: pct(n) }))
    .sort((a, b) => b.selfSamples - a.selfSamples);
  const durationMs = (profile.endTime - profile.startTime) / 1000;
  return {
    samples: total,
    durationMs: round(durationMs, 1),
    intervalMs: total === 0 ? 0 : round(durationMs / total, 3),
    busyPercent: pct(total - idle),
    accountedPercent: pct(total - (moduleSamples.get("other") ?? 0)),
    modules,
    topSelf: [...all]
      .filter((s) => s.selfSamples > 0)
      .sort((a, b) => b.selfSamples - a.selfSamples)
      .slice(0, top),
    topTotal: [...all]
      .filter((s) => s.functionName !== "(program)" && s.functionName !== "(garbage collector)")
      .sort((a, b) => b.totalSamples - a.totalSamples)
      .slice(0, top),
  };
}

/**
 * Share of all samples (and of busy samples) whose stack holds a frame matching `match` — how a
 * before/after comparison of one hot path is read ("TLS connection set-up: 31 % → 2 %").
 */
export function stackShare(
  profile: CpuProfile,
  match: (frame: CpuProfileNode["callFrame"]) => boolean,
): { samples: number; percent: number; percentOfBusy: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hit = new Map<number, boolean>();
  const matches = (id: number): boolean => {
    const known = hit.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const result = node !== undefined && (match(node.callFrame) || (up !== undefined && matches(up)));
    hit.set(id, result);
    return result;
  };
  let total = 0;
  let idle = 0;
  let samples = 0;
  for (const [id, count] of selfCounts(profile)) {
    total += count;
    if (byId.get(id)?.callFrame.functionName === "(idle)") idle += count;
    else if (matches(id)) samples += count;
  }
  return {
    samples,
    percent: total === 0 ? 0 : round((100 * samples) / total),
    percentOfBusy: total === idle ? 0 : round((100 * samples) / (total - idle)),
  };
}

/**
 * The Prometheus text exposition format (0.0.4), just enough to read the operator's, the
 * apiserver's and etcd's /metrics: `name{label="v",...} value [timestamp]` lines, with
 * `# HELP` / `# TYPE` comments skipped. Label values may contain escaped quotes and commas.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function parseValue(text: string): number {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  return Number(text);
}

function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  while (i < line.length) {
    while (line[i] === " " || line[i] === ",") i++;
    if (line[i] === "}") return { labels, end: i + 1 };
    const eq = line.indexOf("=", i);
    if (eq < 0 || line[eq + 1] !== '"') throw new Error(`bad label at column ${i}`);
    const key = line.slice(i, eq).trim();
    let value = "";
    let j = eq + 2;
    for (; j < line.length && line[j] !== '"'; j++) {
      if (line[j] === "\\") {
        j++;
        value += line[j] === "n" ? "\n" : (line[j] ?? "");
      } else value += line[j];
    }
    labels[key] = value;
    i = j + 1;
  }
  throw new Error("unterminated label set");
}

/**
 * Parses an exposition; malformed lines are skipped (counted in `skipped`) rather than fatal.
 * `only` keeps just the metric families with these name prefixes — the apiserver's /metrics is
 * megabytes, and a sampler that needs three gauges should not parse all of it every time.
 */
export function parsePrometheusText(
  text: string,
  only?: readonly string[],
): { samples: Sample[]; skipped: number } {
  const samples: Sample[] = [];
  let skipped = 0;
  for (const at of only ? linesStartingWith(text, only) : allLines(text)) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end).trim();
    try {
      const m = NAME.exec(line);
      if (!m) throw new Error("no metric name");
      let pos = m[0].length;
      let labels: Record<string, string> = {};
      if (line[pos] === "{") ({ labels, end: pos } = parseLabels(line, pos));
      const rest = line.slice(pos).trim().split(/\s+/);
      const value = parseValue(rest[0] ?? "");
      if (rest[0] === undefined || Number.isNaN(value)) throw new Error("no value");
      samples.push({ name: m[0], labels, value });
    } catch {
      skipped++;
    }
  }
  return { samples, skipped };
}

/** Where each non-blank, non-comment line's text begins (after leading blanks). */
function* allLines(text: string): Generator<number> {
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let at = start;
    start = end + 1;
    while (at < end && isBlank(text.charCodeAt(at))) at++;
    if (at < end && text.charCodeAt(at) !== HASH) yield at;
  }
}

/**
 * Where the lines whose text begins with one of the prefixes begin, in text order. Found by
 * searching for the prefixes (a native scan) rather than visiting every line: the apiserver's
 * exposition is tens of thousands of lines, of which a sampler wants a few.
 */
function linesStartingWith(text: string, prefixes: readonly string[]): number[] {
  const starts = new Set<number>();
  for (const prefix of prefixes) {
    if (prefix === "") return [...allLines(text)];
    for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + prefix.length)) {
      let before = at - 1;
      while (before >= 0 && isBlank(text.charCodeAt(before))) before--;
      if (before < 0 || text.charCodeAt(before) === NEWLINE) starts.add(at);
    }
  }
  return [...starts].sort((a, b) => a - b);
}

const HASH = 35;
const NEWLINE = 10;

/** The whitespace String.prototype.trim removes that can occur in an exposition line. */
function isBlank(code: number): boolean {
  return (
    code === 32 || code === 9 || code === 13 || code === 11 || code === 12 || code === 0xa0 || code === 0xfeff
  );
}

/** Sum of every sample of `name` whose labels include `match`. */
export function sumOf(samples: readonly Sample[], name: string, match: Record<string, string> = {}): number {
  let total = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
  }
  return total;
}

export function has(samples: readonly Sample[], name: string): boolean {
  return samples.some((s) => s.name === name);
}

/**
 * Cumulative histogram buckets of `name` (e.g. apiserver_request_duration_seconds), grouped by the
 * given labels: key → sorted [upperBound, cumulativeCount][].
 */
export function bucketsBy(
  samples: readonly Sample[],
  name: string,
  groupBy: readonly string[],
): Map<string, Array<[number, number]>> {
  const out = new Map<string, Map<number, number>>();
  for (const s of samples) {
    if (s.name !== `${name}_bucket`) continue;
    const le = parseValue(s.labels.le ?? "");
    const key = groupBy.map((g) => `${g}=${s.labels[g] ?? ""}`).join(",");
    let m = out.get(key);
    if (!m) {
      m = new Map();
      out.set(key, m);
    }
    m.set(le, (m.get(le) ?? 0) + s.value);
  }
  return new Map([...out].map(([k, m]) => [k, [...m].sort((a, b) => a[0] - b[0])]));
}

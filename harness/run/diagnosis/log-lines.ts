/**
 * The operator's most frequent error lines, from its log: text (tracing's, logfmt, klog) or JSON
 * (pino, zap, slog…). Error and warning lines are grouped by their shape — the message with
 * timestamps, numbers, object names, addresses and ids taken out — so a thousand
 * "Failed to create/update site site-00012 …" read as one line with a count. Pure.
 */

export type LogFormat = "json" | "text";

export interface LogGroup {
  /** The message's shape, e.g. `Failed to create/update site <name> in Patronus: API returned 503`. */
  pattern: string;
  level: "error" | "warn";
  count: number;
  /** The first line of the group as written (trimmed). */
  example: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
const ANSI = /\x1b\[[0-9;]*m/g;
const LEVELS: Record<string, "error" | "warn"> = {
  error: "error",
  err: "error",
  fatal: "error",
  panic: "error",
  critical: "error",
  warn: "warn",
  warning: "warn",
};
const NUMERIC_LEVEL = (n: number): "error" | "warn" | undefined =>
  n >= 50 ? "error" : n >= 40 ? "warn" : undefined;

/** The level and message of an error or warning line; undefined for anything else. */
export function errorLine(
  raw: string,
  format: LogFormat,
): { level: "error" | "warn"; message: string } | undefined {
  const line = raw.replace(ANSI, "").trim();
  if (line === "") return undefined;
  if (format === "json" || line.startsWith("{")) {
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      const lv = o.level ?? o.severity ?? o.lvl;
      const level = typeof lv === "number" ? NUMERIC_LEVEL(lv) : LEVELS[String(lv ?? "").toLowerCase()];
      if (!level) return undefined;
      const msg = o.msg ?? o.message ?? o.error ?? "";
      const err = o.err ?? o.error;
      const detail =
        typeof err === "string" && err !== msg
          ? `: ${err}`
          : err && typeof err === "object" && "message" in err
            ? `: ${String((err as { message: unknown }).message)}`
            : "";
      return { level, message: `${String(msg)}${detail}` };
    } catch {
      if (format === "json") return undefined;
    }
  }
  // tracing: "2026-12-07T01:02:03.456Z ERROR message"; logfmt: "level=error msg=…"; klog: "E1207 …".
  const m =
    /\b(ERROR|WARN|WARNING|FATAL|PANIC)\b:?\s+(.*)$/.exec(line) ??
    /\blevel=(error|warn|warning|fatal)\b.*?\bmsg="?([^"]*)"?/i.exec(line) ??
    /^([EWF])\d{4} [\d:.]+\s+\d+ [^\]]+\]\s+(.*)$/.exec(line);
  if (!m) return undefined;
  const tag = (m[1] as string).toLowerCase();
  const level = LEVELS[tag] ?? (tag === "e" || tag === "f" ? "error" : tag === "w" ? "warn" : undefined);
  return level ? { level, message: (m[2] as string).trim() } : undefined;
}

/** A message's shape: what stays the same across objects, replicas, times and attempts. */
export function shapeOf(message: string): string {
  return (
    message
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:?\d\d)?/g, "<time>")
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<id>")
      .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, "<addr>")
      .replace(/\b(site|policy|path|mesh|operator|replica)-[\w-]*\d[\w-]*/gi, "$1-<n>")
      .replace(/(["'])[^"']{0,200}\1/g, "$1…$1")
      // HTTP statuses keep their value: "returned 429" and "returned 503" are different problems.
      .replace(/\b(?<!(returned|status|code)[ :=]*)\d+(\.\d+)?(ms|s|µs)?\b/gi, "<n>")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 240)
  );
}

/** Distinct shapes kept: an operator logging a new shape every line cannot grow it further. */
const MAX_GROUPS = 2000;

export class LogGroups {
  private readonly groups = new Map<string, LogGroup>();
  lines = 0;
  errors = 0;
  warnings = 0;

  add(raw: string, format: LogFormat): void {
    this.lines++;
    const e = errorLine(raw, format);
    if (!e) return;
    if (e.level === "error") this.errors++;
    else this.warnings++;
    const pattern = shapeOf(e.message);
    const key = `${e.level} ${pattern}`;
    const g = this.groups.get(key);
    if (g) g.count++;
    else if (this.groups.size < MAX_GROUPS)
      this.groups.set(key, {
        pattern,
        level: e.level,
        count: 1,
        example: raw.replace(ANSI, "").trim().slice(0, 300),
      });
  }

  /** The most frequent groups, errors before warnings at equal counts. */
  top(limit = 5): LogGroup[] {
    return [...this.groups.values()]
      .sort((a, b) => b.count - a.count || (a.level === b.level ? 0 : a.level === "error" ? -1 : 1))
      .slice(0, limit);
  }
}

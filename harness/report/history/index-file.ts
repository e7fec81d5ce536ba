/**
 * The history index: JSON lines, one compact summary per run, appended by every run (and CI).
 * JSON lines rather than SQLite: no native module to build for Node 24, append-only writes need
 * no locking or schema migration, the file diffs and merges in git and uploads as a CI artifact,
 * and a reader can always skip a torn last line.
 */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { HarnessError } from "../../errors.ts";
import type { Metric, Results } from "../../results/schema.ts";

export const HISTORY_FILE = "history.jsonl";
export const HISTORY_ENTRY_VERSION = 1;

export const HistoryEntrySchema = z.strictObject({
  v: z.literal(HISTORY_ENTRY_VERSION),
  runId: z.string().min(1),
  scenario: z.string().min(1),
  startedAt: z.iso.datetime({ offset: true }),
  durationSeconds: z.number().nonnegative(),
  verdict: z.enum(["pass", "fail", "inconclusive"]),
  git: z.strictObject({ commit: z.string(), dirty: z.boolean() }),
  repeat: z.strictObject({ index: z.number().int().positive(), of: z.number().int().positive() }).optional(),
  resultsPath: z.string().optional(),
  thresholds: z.strictObject({
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
  }),
  /** metric → statistic → value, in the metric's unit. */
  metrics: z.record(z.string(), z.record(z.string(), z.number())),
  units: z.record(z.string(), z.string()),
});

export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

function metricSummary(m: Metric): Record<string, number> {
  switch (m.type) {
    case "distribution":
      return { count: m.count, mean: m.mean, p50: m.p50, p90: m.p90, p99: m.p99, max: m.max };
    case "series": {
      const values = m.points.map((p) => p[1]);
      if (values.length === 0) return {};
      return {
        mean: values.reduce((s, v) => s + v, 0) / values.length,
        max: Math.max(...values),
        last: values.at(-1)!,
      };
    }
    case "counter":
    case "gauge":
      return { value: m.value };
  }
}

export function historyEntry(results: Results, resultsPath?: string): HistoryEntry {
  const metrics: HistoryEntry["metrics"] = {};
  const units: HistoryEntry["units"] = {};
  for (const [name, m] of Object.entries(results.metrics)) {
    if (name.includes("quantile=")) continue;
    metrics[name] = metricSummary(m);
    units[name] = m.unit;
  }
  const passed = results.thresholds.filter((t) => t.passed).length;
  return {
    v: HISTORY_ENTRY_VERSION,
    runId: results.run.id,
    scenario: results.run.scenario,
    startedAt: results.run.startedAt,
    durationSeconds: results.run.durationSeconds,
    verdict: results.verdict,
    git: results.run.git,
    ...(results.run.repeat ? { repeat: results.run.repeat } : {}),
    ...(resultsPath ? { resultsPath } : {}),
    thresholds: { passed, failed: results.thresholds.length - passed },
    metrics,
    units,
  };
}

/** Appends one run to the index (one write of one line; creates the file and its directory). */
export async function appendHistory(
  indexPath: string,
  results: Results,
  options: { resultsPath?: string } = {},
): Promise<HistoryEntry> {
  const entry = historyEntry(results, options.resultsPath);
  try {
    await mkdir(dirname(indexPath), { recursive: true });
    await appendFile(indexPath, `${JSON.stringify(entry)}\n`, { flag: "a" });
  } catch (err) {
    throw new HarnessError(`cannot append to the history index ${indexPath}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return entry;
}

export interface HistoryRead {
  entries: HistoryEntry[];
  /** Lines that were skipped, with why (a torn last line after a crash, an entry of another version…). */
  warnings: string[];
}

export async function readHistory(indexPath: string): Promise<HistoryRead> {
  let text: string;
  try {
    text = await readFile(indexPath, "utf8");
  } catch {
    throw new HarnessError(`history index not found: ${indexPath}`, {
      fix: "runs append to reports/history.jsonl; build one from existing run directories with `patronus-bench history DIR --rebuild`",
    });
  }
  const entries: HistoryEntry[] = [];
  const warnings: string[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${indexPath}:${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      const last = lines.slice(i + 1).every((l) => l.trim() === "");
      warnings.push(
        `${where}: skipped ${last ? "a truncated last line (interrupted append)" : "a line that is not JSON"}`,
      );
      return;
    }
    const parsed = HistoryEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      warnings.push(
        `${where}: skipped an entry that does not match (${issue.path.join(".") || "entry"}: ${issue.message})`,
      );
      return;
    }
    entries.push(parsed.data);
  });
  entries.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return { entries, warnings };
}

/**
 * The repeats behind a merged `--repeat N` run, summarized for its report: each repeat's verdict
 * and failed thresholds, so a merged pass/fail can be traced to the repeat that caused it, and the
 * repeats themselves for the spread across them.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describeError } from "../../errors.ts";
import { loadResults } from "../../results/load.ts";
import type { Results } from "../../results/schema.ts";

export interface RepeatSummary {
  dir: string;
  index: number;
  verdict?: Results["verdict"];
  durationSeconds?: number;
  failed: string[];
  /** Why this repeat could not be read. */
  error?: string;
}

export interface Repeats {
  summaries: RepeatSummary[];
  /** The repeats that could be read, in order. */
  runs: Results[];
}

export async function readRepeats(runDir: string): Promise<Repeats> {
  const entries = await readdir(runDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((e) => e.isDirectory() && /^repeat-\d+$/.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)));
  const read = await Promise.all(
    dirs.map(async (dir): Promise<{ summary: RepeatSummary; run?: Results }> => {
      const index = Number(dir.slice(7));
      try {
        const r = await loadResults(join(runDir, dir));
        const summary: RepeatSummary = {
          dir,
          index,
          verdict: r.verdict,
          durationSeconds: r.run.durationSeconds,
          failed: r.thresholds.filter((t) => !t.passed).map((t) => `${t.metric} ${t.expression}`),
        };
        return { summary, run: r };
      } catch (err) {
        return { summary: { dir, index, failed: [], error: describeError(err) } };
      }
    }),
  );
  return {
    summaries: read.map((x) => x.summary),
    runs: read.flatMap((x) => (x.run ? [x.run] : [])),
  };
}

/**
 * The repeats behind a merged `--repeat N` run, summarized for its report: each repeat's verdict
 * and failed thresholds, so a merged pass/fail can be traced to the repeat that caused it.
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

export async function summarizeRepeats(runDir: string): Promise<RepeatSummary[]> {
  const entries = await readdir(runDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((e) => e.isDirectory() && /^repeat-\d+$/.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)));
  return Promise.all(
    dirs.map(async (dir): Promise<RepeatSummary> => {
      const index = Number(dir.slice(7));
      try {
        const r = await loadResults(join(runDir, dir));
        return {
          dir,
          index,
          verdict: r.verdict,
          durationSeconds: r.run.durationSeconds,
          failed: r.thresholds.filter((t) => !t.passed).map((t) => `${t.metric} ${t.expression}`),
        };
      } catch (err) {
        return { dir, index, failed: [], error: describeError(err) };
      }
    }),
  );
}

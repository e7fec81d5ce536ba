/** `patronus-bench history DIR`: trend charts of key metrics across runs, from the JSON-lines index runs append to. */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { HISTORY_FILE } from "../../report/history/index-file.ts";
import { checkOutDir, checkOutFile } from "../../run/output-dir.ts";
import { parseFlags } from "../flags.ts";

const Flags = z.strictObject({
  index: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  scenario: z.string().min(1).optional(),
  last: z.coerce.number().int().positive().optional(),
  rebuild: z.boolean().optional(),
  append: z.array(z.string().min(1)).default([]),
  charts: z.string().min(1).optional(),
  png: z.boolean(),
});

export function register(program: Command): void {
  program
    .command("history")
    .description("trend page (HTML + Markdown + charts) of key metrics across runs")
    .argument("<dir>", `reports directory holding ${HISTORY_FILE} (or the index file itself)`)
    .option("--index <file>", `history index (default: DIR/${HISTORY_FILE})`)
    .option("--out <dir>", "where to write the trend page (default: DIR/history)")
    .option("--scenario <name>", "only this scenario")
    .option("--last <n>", "only the last N runs per scenario")
    .option("--rebuild", "rebuild the index from the run directories under DIR first")
    .option(
      "--append <run>",
      "append a run (directory or results.json) to the index first; repeatable",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--charts <dir>", "directory with a restyled history-trend.vl.json")
    .option("--no-png", "skip PNG charts")
    .addHelpText(
      "after",
      "\nRuns append to the index with appendHistory(); malformed or torn lines are skipped with a warning.",
    )
    .action(async (dir: string, raw: unknown) => {
      const flags = parseFlags(Flags, raw, "history");
      if (flags.out) await checkOutDir(flags.out);
      // The index is written to when rebuilt or appended to.
      if (flags.index && (flags.rebuild || flags.append.length > 0))
        await checkOutFile(flags.index, "--index");
      // Loaded on use: vega and resvg would slow every other command's start-up.
      const { rebuildHistory, renderHistory } = await import("../../report/history/render.ts");
      const isFile = (await stat(dir).catch(() => undefined))?.isFile() ?? false;
      const root = isFile ? join(dir, "..") : dir;
      const indexPath = flags.index ?? (isFile ? dir : join(dir, HISTORY_FILE));
      if (flags.rebuild) {
        const rebuilt = await rebuildHistory(root, indexPath);
        for (const w of rebuilt.warnings) console.warn(`warning: ${w}`);
        console.log(`rebuilt ${indexPath} from ${rebuilt.count} run(s)`);
      }
      if (flags.append.length > 0) {
        const [{ loadResults }, { appendHistory }] = await Promise.all([
          import("../../results/load.ts"),
          import("../../report/history/index-file.ts"),
        ]);
        for (const run of flags.append) {
          const entry = await appendHistory(indexPath, await loadResults(run), { resultsPath: run });
          console.log(`appended ${entry.runId} to ${indexPath}`);
        }
      }
      const outDir = flags.out ?? join(root, "history");
      const result = await renderHistory(indexPath, outDir, {
        png: flags.png,
        ...(flags.scenario ? { scenario: flags.scenario } : {}),
        ...(flags.last ? { last: flags.last } : {}),
        ...(flags.charts ? { chartsDir: flags.charts } : {}),
      });
      for (const w of result.warnings) console.warn(`warning: ${w}`);
      console.log(
        `${result.scenarios.length} scenario(s): ${result.scenarios.join(", ") || "none"} → ${join(outDir, "index.html")}`,
      );
    });
}

/** `patronus-bench report DIR`: renders index.html, summary.md, junit.xml and charts for a run. */
import type { Command } from "commander";
import { z } from "zod";
import { checkOutDir } from "../../run/output-dir.ts";
import { parseFlags } from "../flags.ts";

const Flags = z.strictObject({
  charts: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  png: z.boolean(),
});

export function register(program: Command): void {
  program
    .command("report")
    .description("render the report of a run: index.html, summary.md, junit.xml, charts/*.svg|png")
    .argument("<dir>", "run directory (or its results.json)")
    .option("--charts <dir>", "directory of restyled <chart>.vl.json specs overriding the built-in ones")
    .option("--out <dir>", "write the report here instead of next to results.json")
    .option("--no-png", "skip PNG charts (no font needed)")
    .addHelpText(
      "after",
      "\nCharts whose data the run did not record are listed as missing, never an error.\nExit 0 even for a failed verdict: the verdict is the run's; use junit.xml or `compare` to gate.",
    )
    .action(async (dir: string, raw: unknown) => {
      const flags = parseFlags(Flags, raw, "report");
      if (flags.out) await checkOutDir(flags.out);
      const started = performance.now();
      // Loaded on use: vega and resvg would slow every other command's start-up.
      const { renderReport } = await import("../../report/index.ts");
      const report = await renderReport(dir, {
        ...(flags.charts ? { chartsDir: flags.charts } : {}),
        ...(flags.out ? { outDir: flags.out } : {}),
        png: flags.png,
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      for (const c of report.charts) {
        if (c.status === "missing") console.log(`  – ${c.title}: not available (${c.reason})`);
        if (c.status === "failed") console.warn(`  ! ${c.title}: failed to render: ${c.reason}`);
      }
      const html = report.files.find((f) => f.endsWith("index.html"));
      console.log(
        `${report.results.verdict.toUpperCase()} ${report.results.run.scenario}: ${report.files.length} files in ${seconds} s → ${html}`,
      );
    });
}
